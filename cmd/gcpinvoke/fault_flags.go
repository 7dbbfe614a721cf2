package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// methodRates is the repeatable --method-error-rate METHOD=RATE flag: the
// probability that one API method (or "*.suffix" of methods) fails.
type methodRates map[string]float64

// String implements flag.Value.
func (m methodRates) String() string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%v", k, m[k])
	}
	return strings.Join(parts, ",")
}

// Set implements flag.Value: "run.services.setIamPolicy=0.5" or
// "*.setIamPolicy=1".
func (m methodRates) Set(s string) error {
	method, rateText, ok := strings.Cut(s, "=")
	method = strings.TrimSpace(method)
	if !ok || method == "" || strings.ContainsAny(method, " \t") {
		return fmt.Errorf("want METHOD=RATE, e.g. run.services.setIamPolicy=0.5 or *.setIamPolicy=0.2")
	}
	if strings.Contains(method, "*") && (!strings.HasPrefix(method, "*.") || strings.Count(method, "*") > 1 || strings.Contains(method[2:], ".")) {
		return fmt.Errorf("method %q: a wildcard is only allowed as \"*.METHOD\", e.g. *.setIamPolicy", method)
	}
	rate, err := strconv.ParseFloat(strings.TrimSpace(rateText), 64)
	if err != nil || rate < 0 || rate > 1 {
		return fmt.Errorf("rate %q of %s: want a probability between 0 and 1", rateText, method)
	}
	m[method] = rate
	return nil
}

// errorCodes is the --error-codes flag: the HTTP codes injected errors use.
type errorCodes []int

// String implements flag.Value.
func (c *errorCodes) String() string {
	parts := make([]string, len(*c))
	for i, code := range *c {
		parts[i] = strconv.Itoa(code)
	}
	return strings.Join(parts, ",")
}

// Set implements flag.Value: a comma-separated list of 4xx/5xx codes.
func (c *errorCodes) Set(s string) error {
	var out []int
	for _, part := range strings.Split(s, ",") {
		code, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || code < 400 || code > 599 {
			return fmt.Errorf("%q: want comma-separated HTTP error codes between 400 and 599, e.g. 429,503", strings.TrimSpace(part))
		}
		out = append(out, code)
	}
	*c = out
	return nil
}
