package gcpclient

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// ErrNoProjectNumber is returned by ProjectNumber when Resource Manager
// answers a project without a number.
var ErrNoProjectNumber = errors.New("project has no number")

// projectNumbers memoises the numbers ProjectNumber found, by project ID.
type projectNumbers struct {
	mu sync.Mutex
	m  map[string]string
}

// ProjectNumber returns the number of project (an ID) through Resource
// Manager v1 (cloudresourcemanager.projects.get). A number found is kept
// for the client's lifetime; a failed lookup is not. The API's error is
// returned as is (see gcperr), and ErrNoProjectNumber when the project
// comes back without a number.
func (c *Client) ProjectNumber(ctx context.Context, project string) (string, error) {
	c.numbers.mu.Lock()
	n, ok := c.numbers.m[project]
	c.numbers.mu.Unlock()
	if ok {
		return n, nil
	}
	crm, err := c.ResourceManager(ctx)
	if err != nil {
		return "", err
	}
	p, err := crm.Projects.Get(project).Context(ctx).Do()
	if err != nil {
		return "", err
	}
	if p.ProjectNumber == 0 {
		return "", fmt.Errorf("%w: Resource Manager returned project %q without a project number", ErrNoProjectNumber, project)
	}
	n = fmt.Sprint(p.ProjectNumber)
	c.numbers.mu.Lock()
	if c.numbers.m == nil {
		c.numbers.m = map[string]string{}
	}
	c.numbers.m[project] = n
	c.numbers.mu.Unlock()
	return n, nil
}
