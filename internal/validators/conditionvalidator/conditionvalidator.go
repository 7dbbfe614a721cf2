// Package conditionvalidator validates IAM condition expressions.
package conditionvalidator

import (
	"errors"
	"fmt"
	"strings"

	"github.com/google/cel-go/cel"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/validators/internal/stringcheck"
)

// CEL returns a validator for the `expression` of an IAM condition: it must
// parse as a CEL expression (Google rejects one that does not at apply time
// with 400 INVALID_ARGUMENT). Only the syntax is checked: the attributes
// Google offers (request.time, resource.name, ...) are not declared here, so
// a well-formed expression naming an attribute Google does not have passes
// and is left to Google.
func CEL() validator.String {
	return stringcheck.Check{
		Summary: "Invalid IAM condition expression",
		Desc:    "value must be a CEL expression, e.g. request.time < timestamp(\"2030-01-01T00:00:00Z\")",
		MarkdownDesc: "value must be a [CEL](https://cloud.google.com/iam/docs/conditions-overview#cel) expression, " +
			"e.g. `request.time < timestamp(\"2030-01-01T00:00:00Z\")`",
		Fn: Parse,
	}
}

// Parse reports why expr is not a CEL expression (nil: it parses).
func Parse(expr string) error {
	if strings.TrimSpace(expr) == "" {
		return errors.New("no expression: write a CEL expression such as request.time < timestamp(\"2030-01-01T00:00:00Z\")")
	}
	env, err := cel.NewEnv()
	if err != nil {
		return fmt.Errorf("CEL environment: %w", err)
	}
	if _, iss := env.Parse(expr); iss != nil && iss.Err() != nil {
		return fmt.Errorf("%q is not a valid CEL expression:\n%s\nFix the expression, e.g. request.time < timestamp(\"2030-01-01T00:00:00Z\")", expr, iss.Err())
	}
	return nil
}
