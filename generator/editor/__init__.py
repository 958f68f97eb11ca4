"""The browser editor for clerks (``editor: true`` under the plugin): Decap CMS at ``/admin/``.

``fields`` turns Gongkai's record models into Decap's form fields; ``config`` makes the editor's
configuration (collections per agency) from a loaded project; ``site`` lists the files the portal
publishes under ``admin/``, the vendored Decap bundle among them (``assets/``). Nothing here imports
MkDocs: the plugin only adds these files to the build.
"""
