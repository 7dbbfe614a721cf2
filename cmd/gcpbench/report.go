package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// formatKB renders KiB as MiB with one decimal ("—" when nothing was seen).
func formatKB(kb int64) string {
	if kb <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f MiB", float64(kb)/1024)
}

// formatWall rounds a wall time for the table.
func formatWall(d time.Duration) string {
	if d >= 10*time.Second {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(10 * time.Millisecond).String()
}

// formatCalls lists calls by method, most frequent first, one per line of
// a Markdown cell.
func formatCalls(calls map[string]int) string {
	if len(calls) == 0 {
		return "none"
	}
	methods := make([]string, 0, len(calls))
	for m := range calls {
		methods = append(methods, m)
	}
	sort.Slice(methods, func(i, j int) bool {
		if calls[methods[i]] != calls[methods[j]] {
			return calls[methods[i]] > calls[methods[j]]
		}
		return methods[i] < methods[j]
	})
	parts := make([]string, len(methods))
	for i, m := range methods {
		parts[i] = fmt.Sprintf("`%s` %d", m, calls[m])
	}
	return strings.Join(parts, "<br>")
}

// perPolicy renders IAM gets and sets divided by the policy count.
func perPolicy(calls map[string]int, policies int) string {
	gets, sets := iamCalls(calls)
	f := func(n int) string {
		v := float64(n) / float64(policies)
		if v == float64(int(v)) {
			return fmt.Sprintf("%d", int(v))
		}
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%s get + %s set", f(gets), f(sets))
}

// writeTable writes the results as one Markdown table.
func writeTable(w io.Writer, results []*phaseResult, repeats int) {
	fmt.Fprintf(w, "| scenario | resources | policies | -parallelism | phase | wall (median of %d) | API calls by method | IAM calls per policy | target | provider peak RSS |\n", repeats)
	fmt.Fprintln(w, "|---|---:|---:|---:|---|---:|---|---|---|---:|")
	for _, r := range results {
		sc := r.Scenario
		if r.Err != "" && len(r.Walls) == 0 {
			fmt.Fprintf(w, "| %s | %d | %d | %d | %s | failed | %s | | | |\n", sc.Name, sc.Resources, sc.Policies, r.Parallelism, r.Phase, oneLine(r.Err))
			continue
		}
		calls := medianCalls(r.Calls)
		v := checkTarget(sc, r.Parallelism, r.Phase, calls)
		mark := "met"
		if !v.Met {
			mark = "**missed**"
		}
		fmt.Fprintf(w, "| %s | %d | %d | %d | %s | %s | %s | %s | %s: %s | %s |\n",
			sc.Name, sc.Resources, sc.Policies, r.Parallelism, r.Phase, formatWall(median(r.Walls)),
			formatCalls(calls), perPolicy(calls, sc.Policies), mark, v.Target, formatKB(r.PeakKB))
	}
}

// writeGrowth shows how apply and plan cost grow with N for one service,
// per kind and parallelism: wall time and IAM calls per member.
func writeGrowth(w io.Writer, results []*phaseResult) {
	type key struct {
		kind  string
		par   int
		phase string
	}
	rows := map[key][]*phaseResult{}
	var keys []key
	for _, r := range results {
		if r.Scenario.Services != 1 || r.Scenario.Kind == "chain" || len(r.Walls) == 0 || r.Phase == phaseDestroy {
			continue
		}
		k := key{r.Scenario.Kind, r.Parallelism, r.Phase}
		if _, ok := rows[k]; !ok {
			keys = append(keys, k)
		}
		rows[k] = append(rows[k], r)
	}
	if len(keys) == 0 {
		return
	}
	fmt.Fprintln(w, "| resource kind | -parallelism | phase | N | wall | wall per member | IAM calls | IAM calls per member |")
	fmt.Fprintln(w, "|---|---:|---|---:|---:|---:|---:|---:|")
	for _, k := range keys {
		rs := rows[k]
		sort.Slice(rs, func(i, j int) bool { return rs[i].Scenario.Members < rs[j].Scenario.Members })
		for _, r := range rs {
			n := r.Scenario.Members
			wall := median(r.Walls)
			gets, sets := iamCalls(medianCalls(r.Calls))
			fmt.Fprintf(w, "| `_iam_%s` | %d | %s | %d | %s | %s | %d | %.3f |\n", k.kind, k.par, k.phase, n,
				formatWall(wall), (wall / time.Duration(n)).Round(100*time.Microsecond), gets+sets, float64(gets+sets)/float64(n))
		}
	}
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "|", "\\|")
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
