package emulator

import (
	"sort"
	"strconv"
	"strings"
)

// Helpers shared by the collections of the emulated APIs (queues, tasks,
// jobs, workflows, executions, services): reading one resource, listing
// the names under a parent, and offset page tokens ("o<offset>").

// readOne runs get under the read lock and returns what it built.
func readOne[T any](e *Emulator, get func(st *State) (*T, error)) (any, error) {
	var out *T
	err := e.read(func(st *State) error {
		var err error
		out, err = get(st)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// namesUnder lists the keys of m that start with prefix, sorted.
func namesUnder[V any](m map[string]V, prefix string) []string {
	var names []string
	for name := range m {
		if strings.HasPrefix(name, prefix) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// pageArgs reads pageSize (default and cap: size) and an offset page token.
func pageArgs(r *request, size int) (int, int, error) {
	pageSize := size
	if v := r.Query("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, 0, errInvalid("Invalid value at 'page_size' (TYPE_INT32), %q", v)
		}
		if n > 0 && n < pageSize {
			pageSize = n
		}
	}
	offset := 0
	if tok := r.Query("pageToken"); tok != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(tok, "o"))
		if err != nil || n < 0 || !strings.HasPrefix(tok, "o") {
			return 0, 0, errInvalid("Invalid page token %q.", tok)
		}
		offset = n
	}
	return pageSize, offset, nil
}

// offsetPage is the page of items from offset, at most size long, and the
// token of the next page ("" on the last one).
func offsetPage[T any](items []T, offset, size int) ([]T, string) {
	lo, hi := min(offset, len(items)), min(offset+size, len(items))
	next := ""
	if offset+size < len(items) {
		next = "o" + strconv.Itoa(offset+size)
	}
	return items[lo:hi], next
}
