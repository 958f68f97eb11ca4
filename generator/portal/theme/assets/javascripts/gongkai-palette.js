{#-
  Rendered by the site engine for each portal (the plugin makes it one of the theme's static
  templates), so that the colour scheme switch, written from the portal's own mkdocs.yml, is in a
  file the browser keeps rather than 1.4 KB of every page. partials/javascripts/palette.html loads
  it, without defer, where the theme writes its switch into the header.
-#}
{%- set form -%}
  {%- if config.theme.palette and not config.theme.palette is mapping -%}{% include "partials/palette.html" %}{%- endif -%}
{%- endset -%}
{%- set form = form | gk_compact -%}
// The colour scheme switch, as the theme writes it into the header from mkdocs.yml (in 繁體 on
// 繁體 pages), put where this script stands; then the reader's saved colour scheme, put on the
// page before it is drawn: Material for MkDocs 9.x's partials/javascripts/palette.html (MIT
// licence, copyright Martin Donath). Without scripts the switch could do nothing, so a page
// without them has none.
document.currentScript.insertAdjacentHTML("beforebegin",document.documentElement.lang==="zh-Hant"?{{ form | gk_hant | tojson }}:{{ form | tojson }});
{% raw %}var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-color-media='(prefers-color-scheme: light)']":"[data-md-color-media='(prefers-color-scheme: dark)']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}{% endraw %}
