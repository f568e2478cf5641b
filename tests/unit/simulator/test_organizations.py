"""Organizations: list, summary, create (creator becomes member), update, delete."""

from sim_helpers import error_of

ADDRESS = {"address_line1": "1 rue de la Paix", "address_zip": "75002", "address_city": "Paris", "address_country": "FR"}


def test_list_get_and_summary(api):
    orgs = api.ok("GET", "/organizations")["organizations"]
    assert [org["name"] for org in orgs] == ["demo"]
    demo = orgs[0]
    assert demo["level"] == "basic" and demo["technical_contacts"] == [] and demo["address_line2"] == ""
    assert api.ok("GET", f"/organizations/{demo['id']}")["organization"] == demo
    assert api.ok("GET", "/organizations/summary")["organizations"] == [{"id": demo["id"], "name": "demo", "level": "basic"}]


def test_create_makes_the_creator_a_member(api):
    created = api.ok("POST", "/organizations", {"name": "acme", "billing_contacts": ["c-1"], **ADDRESS}, 201)["organization"]
    assert created["name"] == "acme" and created["billing_contacts"] == ["c-1"] and created["address_state"] == ""
    assert created["creation_date"] == created["modification_date"]
    names = [org["name"] for org in api.ok("GET", "/organizations")["organizations"]]
    assert names == ["demo", "acme"]
    # With two organizations, a new resource has to say which one it goes to.
    error_of(api.post("/tags", {"name": "t"}), 400, param="organization")
    assert api.create("tags", {"name": "t", "organization": created["id"]}, "tag")["organization"] == created["id"]


def test_create_validation_names_the_field(api):
    error_of(api.post("/organizations", {"name": "x", "address_line1": "a", "address_zip": "1", "address_city": "c"}), 400,
             param="address_country")
    error_of(api.post("/organizations", {**ADDRESS, "name": "x", "technical_contacts": "c-1"}), 400, param="technical_contacts")
    error_of(api.post("/organizations", {**ADDRESS, "name": ""}), 400, param="name")
    error_of(api.post("/organizations", {**ADDRESS, "name": "x", "level": "gold"}), 400, param="level")
    error_of(api.post("/organizations", {**ADDRESS, "name": "x", "vat": "1"}), 400, param="vat")


def test_update_changes_writable_fields_only(api):
    org_id = api.ok("GET", "/organizations")["organizations"][0]["id"]
    updated = api.ok("PUT", f"/organizations/{org_id}", {"address_city": "Lyon", "administrative_contacts": ["a", "b"]})["organization"]
    assert updated["address_city"] == "Lyon" and updated["administrative_contacts"] == ["a", "b"] and updated["name"] == "demo"
    assert updated["modification_date"] > updated["creation_date"]
    unchanged = api.ok("PUT", f"/organizations/{org_id}", {"address_city": "Lyon"})["organization"]
    assert unchanged["modification_date"] == updated["modification_date"]
    error_of(api.put(f"/organizations/{org_id}", {"id": "other"}), 400, param="id")
    error_of(api.put(f"/organizations/{org_id}", {"address_zip": 69000}), 400, param="address_zip")


def test_delete_refuses_an_organization_that_owns_resources(api):
    org_id = api.ok("POST", "/organizations", {"name": "temp", **ADDRESS}, 201)["organization"]["id"]
    tag_id = api.create("tags", {"name": "t", "organization": org_id}, "tag")["id"]
    error_of(api.delete(f"/organizations/{org_id}"), 402, "not_empty")
    api.ok("DELETE", f"/tags/{tag_id}", status=204)
    api.ok("DELETE", f"/organizations/{org_id}", status=204)
    error_of(api.get(f"/organizations/{org_id}"), 404, "unknown_resource")
    # Back to one organization: it is the default again.
    assert api.post("/tags", {"name": "t"}).status == 201


def test_unknown_organization_is_404(api):
    error_of(api.get("/organizations/00000000-0000-4000-8000-000000000000"), 404, "unknown_resource")
    error_of(api.put("/organizations/nope", {"name": "x"}), 404, "unknown_resource")
    error_of(api.delete("/organizations/nope"), 404, "unknown_resource")
