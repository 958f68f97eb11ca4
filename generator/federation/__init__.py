"""Federation: one static portal over many Gongkai portals, built from what they publish.

``registry`` reads ``federation.yaml``; ``fetch`` brings each member's published manifest, open
data and search manifests into a checked cache; ``plan`` gathers the members' catalogues into one
plan; ``render`` (with ``data``) writes the federation's pages, resolver maps, open data, search
page and manifest; ``build`` runs them in order. See docs/design.md (Federation). Nothing here
imports MkDocs.
"""
