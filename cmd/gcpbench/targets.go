package main

import (
	"fmt"
	"strings"
)

// iamCalls splits calls into getIamPolicy and setIamPolicy counts over
// every IAM-bearing API.
func iamCalls(calls map[string]int) (gets, sets int) {
	for m, n := range calls {
		switch {
		case strings.HasSuffix(m, ".getIamPolicy"):
			gets += n
		case strings.HasSuffix(m, ".setIamPolicy"):
			sets += n
		}
	}
	return gets, sets
}

// ceilDiv is ⌈a/b⌉.
func ceilDiv(a, b int) int { return (a + b - 1) / b }

// verdict is a phase's target and whether the measured calls meet it.
type verdict struct {
	Target string
	Met    bool
}

// checkTarget compares calls (median over repeats) with the targets:
//   - apply of a set resource (`_iam_members`): 1 getIamPolicy + 1
//     setIamPolicy per policy;
//   - apply of per-member resources: at most 2·⌈N/parallelism⌉ IAM calls per
//     policy (one read and one write per group of concurrent members);
//   - plan (refresh): at most 1 getIamPolicy and no write per policy;
//   - destroy refreshes, then removes: the plan target plus the apply target.
func checkTarget(sc scenario, parallelism int, phase string, calls map[string]int) verdict {
	gets, sets := iamCalls(calls)
	pol := sc.Policies
	perMember := 2 * ceilDiv(sc.Members, parallelism)
	switch phase {
	case phasePlan:
		return verdict{"≤ 1 get, 0 set per policy", gets <= pol && sets == 0}
	case phaseApply:
		if sc.Kind == "members" {
			return verdict{"1 get + 1 set per policy", gets <= pol && sets <= pol}
		}
		return verdict{fmt.Sprintf("≤ 2·⌈%d/%d⌉ = %d IAM calls per policy", sc.Members, parallelism, perMember), gets+sets <= perMember*pol}
	default:
		if sc.Kind == "members" {
			return verdict{"≤ 2 get + 1 set per policy (refresh + remove)", gets <= 2*pol && sets <= pol}
		}
		return verdict{fmt.Sprintf("≤ 1 + %d IAM calls per policy (refresh + remove)", perMember), gets+sets <= (1+perMember)*pol}
	}
}
