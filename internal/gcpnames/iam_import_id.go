package gcpnames

import "strings"

// SplitIAMImportID splits an IAM import ID of the Google provider's form
// "<resource> <role> [<member>] [condition title]": the first three
// space-separated fields are resource, role and member, and the rest (which
// may contain spaces) is the condition title. Missing parts are "".
func SplitIAMImportID(id string) (resource, role, member, conditionTitle string) {
	fields := strings.SplitN(strings.TrimSpace(id), " ", 4)
	get := func(i int) string {
		if i < len(fields) {
			return fields[i]
		}
		return ""
	}
	return get(0), get(1), get(2), strings.TrimSpace(get(3))
}
