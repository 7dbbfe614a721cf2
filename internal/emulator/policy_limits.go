package emulator

import (
	"strconv"
	"strings"

	"github.com/google/cel-go/cel"
)

// maxPolicyPrincipals is Google's limit on principals in one allow policy:
// "The bindings in a Policy can refer to up to 1,500 principals … Each
// occurrence of a principal counts towards these limits"
// (https://cloud.google.com/iam/docs/reference/rest/v1/Policy). Google's
// answer above it is 400 INVALID_ARGUMENT "The number of members in the
// policy (1,501) is larger than the maximum allowed size 1,500."
const maxPolicyPrincipals = 1500

// countPrincipals counts every occurrence of a member in every binding.
func countPrincipals(p *Policy) int {
	n := 0
	for _, b := range p.Bindings {
		if b != nil {
			n += len(b.Members)
		}
	}
	return n
}

// thousands formats n with comma separators as Google's messages do
// ("1,501").
func thousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// celEnv parses IAM condition expressions. IAM conditions are CEL; Google
// refuses one that does not parse with 400 INVALID_ARGUMENT carrying the
// parser's message (e.g. "token recognition error at: '…'"). Only the
// syntax is checked: which attributes and functions a resource supports
// (resource.name, request.time, …) is not modelled.
var celEnv, celEnvErr = cel.NewEnv()

// checkConditionExpression parses a condition expression as CEL.
func checkConditionExpression(expr string) error {
	if celEnvErr != nil {
		return celEnvErr
	}
	if _, iss := celEnv.Parse(expr); iss != nil && iss.Err() != nil {
		msg := expr
		if errs := iss.Errors(); len(errs) > 0 {
			msg = errs[0].Message
		}
		return errInvalid("Condition expression %q is not valid CEL: %s", expr, msg)
	}
	return nil
}
