package emulator

import (
	"sort"
	"strings"

	scheduler "google.golang.org/api/cloudscheduler/v1"
)

// jobOutputFields are read-only; update masks naming them are ignored.
var jobOutputFields = map[string]bool{
	"name": true, "state": true, "status": true, "scheduleTime": true, "lastAttemptTime": true,
	"userUpdateTime": true, "satisfiesPzs": true,
}

// jobUpdatableFields are the top-level fields an update mask may name.
var jobUpdatableFields = map[string]bool{
	"description": true, "schedule": true, "timeZone": true, "httpTarget": true, "pubsubTarget": true,
	"appEngineHttpTarget": true, "retryConfig": true, "attemptDeadline": true,
}

// jobUpdatePaths turns an update mask into camelCase field paths. An empty
// mask means every updatable field present in the body.
func jobUpdatePaths(mask string, raw map[string]any) ([]string, error) {
	var paths []string
	if strings.TrimSpace(mask) == "" {
		for k := range raw {
			if jobUpdatableFields[k] {
				paths = append(paths, k)
			}
		}
		sort.Strings(paths)
		return paths, nil
	}
	return maskPaths(mask, jobOutputFields, func(p string, segs []string) error {
		if !jobUpdatableFields[segs[0]] || (len(segs) > 1 && !strings.HasSuffix(segs[0], "Target") && segs[0] != "retryConfig") {
			return errInvalid("Invalid update mask path %q: Job has no updatable field %q.", p, strings.Join(segs, "."))
		}
		return nil
	})
}

// oneofSiblings are the fields cleared when a member of their oneof is set.
var oneofSiblings = map[string][]string{
	"httpTarget":            {"pubsubTarget", "appEngineHttpTarget"},
	"pubsubTarget":          {"httpTarget", "appEngineHttpTarget"},
	"appEngineHttpTarget":   {"httpTarget", "pubsubTarget"},
	"httpTarget.oidcToken":  {"httpTarget.oauthToken"},
	"httpTarget.oauthToken": {"httpTarget.oidcToken"},
}

// applyJobMask copies the masked paths of the patch onto a copy of the
// stored job: a path absent from the patch is cleared.
func applyJobMask(cur *scheduler.Job, patch map[string]any, paths []string) (*scheduler.Job, error) {
	return applyMask(cur, patch, paths, oneofSiblings)
}
