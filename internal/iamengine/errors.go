package iamengine

import (
	"fmt"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/gcperr"
)

// waitError explains why an Apply gave up when its context ended, from the
// last retryable error its batch saw. Both errors stay in the chain
// (errors.Is(err, context.DeadlineExceeded), gcperr classification).
func waitError(t Target, lastErr, ctxErr error) error {
	if lastErr == nil {
		return fmt.Errorf("IAM change on %s did not complete: %w", t, ctxErr)
	}
	if account, ok := gcperr.MissingServiceAccount(lastErr); ok {
		return fmt.Errorf("IAM change on %s: service account %s is not visible to IAM yet or does not exist. "+
			"Google kept answering that it does not exist until the wait ended; an account created moments ago "+
			"can take a minute to appear (raise the timeout), otherwise create the account or fix the member: %w; last error: %w",
			t, account, ctxErr, lastErr)
	}
	if gcperr.IsConcurrentPolicyChange(lastErr) {
		return fmt.Errorf("IAM change on %s: the policy kept changing under concurrent writers until the wait ended; "+
			"retry, or raise the timeout: %w; last error: %w", t, ctxErr, lastErr)
	}
	return fmt.Errorf("IAM change on %s did not complete before the wait ended: %w; last error: %w", t, ctxErr, lastErr)
}
