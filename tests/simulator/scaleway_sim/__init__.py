"""A local HTTP simulator of the Scaleway v1 API.

What it serves, its limits, command line, control endpoints and faults:
docs/docsite/rst/guide_simulator.rst (the collection's guide "The API simulator").
"""
