// Package discovery holds Google's published discovery documents of the APIs
// the provider calls and the emulator serves, and checks HTTP traffic against
// them: which method a request is (verb, path template, custom verb, query
// parameters) and whether a request or response body fits the method's
// schema (field names, JSON types, formats, enum values).
//
// The documents are the wire contract nobody in this project wrote. They are
// copied from the google.golang.org/api module pinned in go.mod into
// documents/ by scripts/update-discovery-documents.sh (run it, or
// `go generate ./internal/discovery`, after changing that version) and
// embedded, so tests never read the module cache.
package discovery

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"sync"
)

//go:generate sh ../../scripts/update-discovery-documents.sh

//go:embed documents/*.json
var documentFiles embed.FS

// Document is one discovery document (one API version).
type Document struct {
	ID         string                `json:"id"` // "run:v2"
	Name       string                `json:"name"`
	Version    string                `json:"version"`
	Revision   string                `json:"revision"`
	RootURL    string                `json:"rootUrl"`
	Parameters map[string]*Parameter `json:"parameters"` // standard query parameters
	Schemas    map[string]*Schema    `json:"schemas"`
	Resources  map[string]*Resource  `json:"resources"`
	Methods    map[string]*Method    `json:"methods"`

	methods []*Method // every method of every resource, sorted by ID
}

// Resource is a node of the document's resource tree.
type Resource struct {
	Methods   map[string]*Method   `json:"methods"`
	Resources map[string]*Resource `json:"resources"`
}

// Method is one REST method.
type Method struct {
	ID         string                `json:"id"` // "run.projects.locations.services.getIamPolicy"
	HTTPMethod string                `json:"httpMethod"`
	Path       string                `json:"path"`     // "v2/{+resource}:getIamPolicy"
	FlatPath   string                `json:"flatPath"` // "v2/projects/{projectsId}/…:getIamPolicy"
	Parameters map[string]*Parameter `json:"parameters"`
	Request    *Schema               `json:"request"`  // {"$ref": …} or nil
	Response   *Schema               `json:"response"` // {"$ref": …} or nil (empty body)

	Doc *Document `json:"-"`
	// GoChain is the call chain of the generated Go client,
	// "Projects.Locations.Services.GetIamPolicy".
	GoChain  string `json:"-"`
	template string // path template without the custom verb
	verb     string // custom verb after ':' ("getIamPolicy"), "" for none
	re       *regexp.Regexp
	literals int // literal characters, to prefer the most specific match
}

// Parameter is a path or query parameter.
type Parameter struct {
	Type     string   `json:"type"`
	Format   string   `json:"format"`
	Location string   `json:"location"`
	Repeated bool     `json:"repeated"`
	Required bool     `json:"required"`
	Pattern  string   `json:"pattern"`
	Enum     []string `json:"enum"`
}

// Schema is a JSON schema of the discovery format.
type Schema struct {
	ID                   string             `json:"id"`
	Ref                  string             `json:"$ref"`
	Type                 string             `json:"type"`
	Format               string             `json:"format"`
	Enum                 []string           `json:"enum"`
	Properties           map[string]*Schema `json:"properties"`
	AdditionalProperties *Schema            `json:"additionalProperties"`
	Items                *Schema            `json:"items"`
	ReadOnly             bool               `json:"readOnly"`
}

// AllMethods lists every method of the document, sorted by ID.
func (d *Document) AllMethods() []*Method { return d.methods }

// Title is "run v2".
func (d *Document) Title() string { return d.Name + " " + d.Version }

// Registry is a set of documents requests are matched against.
type Registry struct {
	Docs []*Document
}

var (
	defaultOnce sync.Once
	defaultReg  *Registry
	defaultErr  error
)

// Default returns the registry of the embedded documents, parsed once.
func Default() (*Registry, error) {
	defaultOnce.Do(func() {
		defaultReg, defaultErr = loadFS(documentFiles, "documents")
	})
	return defaultReg, defaultErr
}

func loadFS(fsys fs.FS, dir string) (*Registry, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	reg := &Registry{}
	for _, en := range entries {
		if !strings.HasSuffix(en.Name(), ".json") {
			continue
		}
		data, err := fs.ReadFile(fsys, dir+"/"+en.Name())
		if err != nil {
			return nil, err
		}
		doc, err := Parse(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", en.Name(), err)
		}
		reg.Docs = append(reg.Docs, doc)
	}
	sort.Slice(reg.Docs, func(i, j int) bool { return reg.Docs[i].ID < reg.Docs[j].ID })
	return reg, nil
}

// NewRegistry builds a registry from documents (used by tests with small
// handmade documents).
func NewRegistry(docs ...*Document) *Registry { return &Registry{Docs: docs} }

// Parse reads one discovery document.
func Parse(data []byte) (*Document, error) {
	var d Document
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, err
	}
	if d.Name == "" || d.Version == "" {
		return nil, fmt.Errorf("not a discovery document (no name/version)")
	}
	var walk func(chain string, r *Resource) error
	add := func(chain string, ms map[string]*Method) error {
		for key, m := range ms {
			m.Doc = &d
			m.GoChain = chain + goName(key)
			if err := m.compile(); err != nil {
				return fmt.Errorf("method %s: %w", m.ID, err)
			}
			d.methods = append(d.methods, m)
		}
		return nil
	}
	walk = func(chain string, r *Resource) error {
		if err := add(chain, r.Methods); err != nil {
			return err
		}
		for key, sub := range r.Resources {
			if err := walk(chain+goName(key)+".", sub); err != nil {
				return err
			}
		}
		return nil
	}
	if err := add("", d.Methods); err != nil {
		return nil, err
	}
	for key, r := range d.Resources {
		if err := walk(goName(key)+".", r); err != nil {
			return nil, err
		}
	}
	sort.Slice(d.methods, func(i, j int) bool { return d.methods[i].ID < d.methods[j].ID })
	return &d, nil
}

// Schema resolves a schema name of the document.
func (d *Document) Schema(name string) *Schema { return d.Schemas[name] }

// goName is the Go client's name of a resource or method key
// ("serviceAccounts" → "ServiceAccounts").
func goName(key string) string {
	if key == "" {
		return key
	}
	return strings.ToUpper(key[:1]) + key[1:]
}
