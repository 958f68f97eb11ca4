// Where the theme keeps what the reader chose (the colour scheme among it): Material for MkDocs
// 9.x's partials/javascripts/base.html (MIT licence, copyright Martin Donath), as a file the
// browser keeps instead of in every page; the site root is found from this file's own address
// rather than written into each page. Then 长者模式, as the reader left it, before the page is
// first drawn. Loaded without defer in the <head> (partials/javascripts/base.html).
__md_scope=new URL("../../",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
try{if(localStorage.getItem("gongkai-elder")==="1")document.documentElement.classList.add("gk-elder")}catch(e){}
