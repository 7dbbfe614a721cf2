package gcpnames

import (
	"fmt"
	"strings"
)

// LocationalName is a resource name of the form
// projects/{Project}/locations/{Location}/{Collection}/{Name}.
type LocationalName struct {
	Project, Location, Collection, Name string
}

// String returns the full resource name.
func (n LocationalName) String() string {
	return "projects/" + n.Project + "/locations/" + n.Location + "/" + n.Collection + "/" + n.Name
}

// ParseLocationalID parses an ID of a resource in collection (e.g.
// "services") in the formats the Google provider accepts for import:
//
//	projects/{p}/locations/{l}/{collection}/{name}
//	{p}/{l}/{name}
//	{l}/{name}      (project from defaultProject)
//	{name}          (project and location from the defaults)
//
// A part missing from the ID and from the defaults is an error naming the
// full format.
func ParseLocationalID(id, collection, defaultProject, defaultLocation string) (LocationalName, error) {
	full := "projects/{project}/locations/{location}/" + collection + "/{name}"
	formats := full + ", {project}/{location}/{name}, {location}/{name} or {name}"
	n := LocationalName{Collection: collection, Project: defaultProject, Location: defaultLocation}
	if strings.TrimSpace(id) != id || id == "" {
		return n, fmt.Errorf("ID %q is empty or has surrounding spaces; use %s", id, formats)
	}
	parts := strings.Split(id, "/")
	switch {
	case len(parts) == 6 && parts[0] == "projects" && parts[2] == "locations" && parts[4] == collection:
		n.Project, n.Location, n.Name = parts[1], parts[3], parts[5]
	case len(parts) == 6 && parts[0] == "projects" && parts[2] == "locations":
		return n, fmt.Errorf("ID %q names a resource in %q, not in %q; use %s", id, parts[4], collection, full)
	case parts[0] == "projects":
		return n, fmt.Errorf("ID %q does not match any accepted format: %s", id, formats)
	case len(parts) == 3:
		n.Project, n.Location, n.Name = parts[0], parts[1], parts[2]
	case len(parts) == 2:
		n.Location, n.Name = parts[0], parts[1]
	case len(parts) == 1:
		n.Name = parts[0]
	default:
		return n, fmt.Errorf("ID %q does not match any accepted format: %s", id, formats)
	}
	for _, p := range []struct{ what, v string }{{"project", n.Project}, {"location", n.Location}, {"name", n.Name}} {
		if p.v == "" {
			return n, fmt.Errorf("ID %q gives no %s and the provider has no default %s; use %s", id, p.what, p.what, full)
		}
		if strings.ContainsAny(p.v, " \t\r\n") {
			return n, fmt.Errorf("ID %q: %s %q contains white space", id, p.what, p.v)
		}
	}
	return n, nil
}

// ParseRunServiceID parses a Cloud Run service ID (see ParseLocationalID).
func ParseRunServiceID(id, defaultProject, defaultLocation string) (project, location, service string, err error) {
	return parseTuple(id, "services", defaultProject, defaultLocation)
}

// ParseFunctionID parses a Cloud Functions function ID (see ParseLocationalID).
func ParseFunctionID(id, defaultProject, defaultLocation string) (project, location, function string, err error) {
	return parseTuple(id, "functions", defaultProject, defaultLocation)
}

// ParseSchedulerJobID parses a Cloud Scheduler job ID (see ParseLocationalID).
func ParseSchedulerJobID(id, defaultProject, defaultLocation string) (project, location, job string, err error) {
	return parseTuple(id, "jobs", defaultProject, defaultLocation)
}

// ParseQueueID parses a Cloud Tasks queue ID (see ParseLocationalID).
func ParseQueueID(id, defaultProject, defaultLocation string) (project, location, queue string, err error) {
	return parseTuple(id, "queues", defaultProject, defaultLocation)
}

// ParseWorkflowID parses a Workflows workflow ID (see ParseLocationalID).
func ParseWorkflowID(id, defaultProject, defaultLocation string) (project, location, workflow string, err error) {
	return parseTuple(id, "workflows", defaultProject, defaultLocation)
}

func parseTuple(id, collection, defaultProject, defaultLocation string) (string, string, string, error) {
	n, err := ParseLocationalID(id, collection, defaultProject, defaultLocation)
	if err != nil {
		return "", "", "", err
	}
	return n.Project, n.Location, n.Name, nil
}
