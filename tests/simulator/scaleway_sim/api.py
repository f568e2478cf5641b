"""The /v1 routes: each maps an endpoint to a resource's rules and wraps the answer in its envelope."""

import json
from urllib.parse import unquote, unquote_to_bytes

from .errors import ApiError, bad_request
from .pagination import paginate
from .response import Response

NO_CONTENT = 204


class Context:
    """One authenticated request: the store, the token's user and the request."""

    def __init__(self, store, user, request):
        self.store = store
        self.user = user
        self.request = request
        self.query = request.query

    def body(self):
        try:
            return json.loads(self.request.body or b"{}")
        except ValueError as error:
            raise bad_request(f"the request body is not valid JSON: {error}") from None

    def page(self, plural, records, serialize, page_size):
        return paginate(self.request, plural, records, serialize, page_size)

    def page_of(self, collection, records):
        return self.page(collection.plural, records, collection.serialize, collection.page_size)


def one(key, payload, status=200):
    return Response(status, {key: payload})


def _crud(name, writable=True, deletable=True):
    """list/create/get (+ update, delete) of a top-level collection, looked up by attribute name
    because the store rebuilds its collections on reset."""

    def list_records(ctx):
        collection = getattr(ctx.store, name)
        return ctx.page_of(collection, collection.list(ctx.user, ctx.query))

    def create(ctx):
        collection = getattr(ctx.store, name)
        return one(collection.singular, collection.serialize(collection.create(ctx.user, ctx.body())), 201)

    def get(ctx, ident):
        collection = getattr(ctx.store, name)
        return one(collection.singular, collection.serialize(collection.get(ctx.user, ident)))

    def update(ctx, ident):
        collection = getattr(ctx.store, name)
        return one(collection.singular, collection.serialize(collection.update(ctx.user, ident, ctx.body())))

    def delete(ctx, ident):
        getattr(ctx.store, name).delete(ctx.user, ident)
        return Response(NO_CONTENT)

    routes = [("GET", name, list_records), ("POST", name, create), ("GET", name + "/{}", get)]
    if writable:
        routes.append(("PUT", name + "/{}", update))
    if deletable:
        routes.append(("DELETE", name + "/{}", delete))
    return routes


def _organization_summary(ctx):
    orgs = ctx.store.organizations
    return ctx.page(orgs.plural, orgs.list(ctx.user), orgs.summarize, orgs.page_size)


def _server_actions(ctx, ident):
    return Response(200, {"actions": ctx.store.servers.actions(ctx.user, ident)})


def _run_server_action(ctx, ident):
    return one("task", ctx.store.servers.run_action(ctx.user, ident, ctx.body()), 202)


def _server_sessions(ctx, ident):
    servers = ctx.store.servers
    return ctx.page("sessions", servers.list_sessions(ctx.user, ident, ctx.query), servers.serialize_session, 100)


def _server_session(ctx, ident, session_id):
    servers = ctx.store.servers
    return one("session", servers.serialize_session(servers.get_session(ctx.user, ident, session_id)))


def _server_tags(ctx, ident):
    tags = ctx.store.tags
    return ctx.page_of(tags, tags.of_server(ctx.store.servers.get(ctx.user, ident)))


def _attach_tag(ctx, ident):
    tags = ctx.store.tags
    tag, attached = tags.attach_by_body(ctx.user, ctx.store.servers.get(ctx.user, ident), ctx.body())
    return one("tag", tags.serialize(tag), 201 if attached else 200)


def _detach_tag(ctx, ident, tag_id):
    ctx.store.tags.detach_by_id(ctx.store.servers.get(ctx.user, ident), tag_id)
    return Response(NO_CONTENT)


def _tag_metadata(ctx, ident):
    tags = ctx.store.tags
    return ctx.page("metadatas", tags.list_metadata(ctx.user, ident, ctx.query), tags.serialize_metadata, 100)


def _create_metadata(ctx, ident):
    tags = ctx.store.tags
    return one("metadata", tags.serialize_metadata(tags.create_metadata(ctx.user, ident, ctx.body())), 201)


def _update_metadata(ctx, ident, key):
    tags = ctx.store.tags
    return one("metadata", tags.serialize_metadata(tags.update_metadata(ctx.user, ident, key, ctx.body())))


def _delete_metadata(ctx, ident, key):
    ctx.store.tags.delete_metadata(ctx.user, ident, key)
    return Response(NO_CONTENT)


def _objects(ctx, container_id):
    objects = ctx.store.objects
    return ctx.page_of(objects, objects.list(ctx.user, container_id))


def _create_object(ctx, container_id):
    objects = ctx.store.objects
    return one("object", objects.serialize(objects.create(ctx.user, container_id, ctx.body())), 201)


def _get_object(ctx, container_id, path):
    objects = ctx.store.objects
    found = objects.get(ctx.user, container_id, path)
    return one("object", objects.serialize(found, objects.wants_content(ctx.query)))


def _update_object(ctx, container_id, path):
    objects = ctx.store.objects
    return one("object", objects.serialize(objects.update(ctx.user, container_id, path, ctx.body())))


def _delete_object(ctx, container_id, path):
    ctx.store.objects.delete(ctx.user, container_id, path)
    return Response(NO_CONTENT)


# Patterns: "{}" is one percent-decoded path segment, "**" the rest of the path (an object path).
ROUTES = [
    ("GET", "organizations/summary", _organization_summary),
    *_crud("organizations"),
    *_crud("servers"),
    ("GET", "servers/{}/action", _server_actions),
    ("POST", "servers/{}/action", _run_server_action),
    ("GET", "servers/{}/sessions", _server_sessions),
    ("GET", "servers/{}/sessions/{}", _server_session),
    ("GET", "servers/{}/tags", _server_tags),
    ("POST", "servers/{}/tags", _attach_tag),
    ("DELETE", "servers/{}/tags/{}", _detach_tag),
    *_crud("volumes", writable=False),
    *_crud("tags"),
    ("GET", "tags/{}/metadatas", _tag_metadata),
    ("POST", "tags/{}/metadatas", _create_metadata),
    ("PUT", "tags/{}/metadatas/{}", _update_metadata),
    ("DELETE", "tags/{}/metadatas/{}", _delete_metadata),
    *_crud("containers"),
    ("GET", "containers/{}/objects", _objects),
    ("POST", "containers/{}/objects", _create_object),
    ("GET", "containers/{}/objects/**", _get_object),
    ("PUT", "containers/{}/objects/**", _update_object),
    ("DELETE", "containers/{}/objects/**", _delete_object),
]
COMPILED = [(method, tuple(pattern.split("/")), handler) for method, pattern, handler in ROUTES]


def _match(pattern, segments):
    """The decoded parameters if the raw path segments fit the pattern, else None."""
    params = []
    for index, part in enumerate(pattern):
        if part == "**":
            rest = "/".join(segments[index:])
            if not rest:
                return None
            try:
                params.append(unquote_to_bytes(rest).decode("utf-8"))
            except UnicodeDecodeError:
                raise bad_request("path must be valid UTF-8", "path") from None
            return params
        if index >= len(segments):
            return None
        if part == "{}":
            if not segments[index]:
                return None
            params.append(unquote(segments[index]))
        elif part != segments[index]:
            return None
    return params if len(segments) == len(pattern) else None


def dispatch(store, user, request):
    """Run the endpoint for the request's method and path (the part after /v1/)."""
    segments = request.path[len("/v1/"):].split("/")
    allowed = []
    for method, pattern, handler in COMPILED:
        params = _match(pattern, segments)
        if params is None:
            continue
        if method == request.method:
            return handler(Context(store, user, request), *params)
        allowed.append(method)
    if allowed:
        raise ApiError(405, f"{request.method} is not allowed on {request.path}", param=None, headers={"Allow": ", ".join(allowed)})
    raise ApiError(404, f"no endpoint {request.method} {request.path}")
