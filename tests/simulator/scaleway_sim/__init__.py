"""A local HTTP simulator of the Scaleway v1 API as described in API-CONTRACT.md."""
