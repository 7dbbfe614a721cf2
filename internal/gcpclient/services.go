package gcpclient

import (
	"context"

	cloudfunctionsv1 "google.golang.org/api/cloudfunctions/v1"
	cloudfunctionsv2 "google.golang.org/api/cloudfunctions/v2"
	"google.golang.org/api/cloudresourcemanager/v1"
	"google.golang.org/api/cloudscheduler/v1"
	"google.golang.org/api/cloudtasks/v2"
	"google.golang.org/api/iam/v1"
	"google.golang.org/api/iamcredentials/v1"
	"google.golang.org/api/option"
	run "google.golang.org/api/run/v2"
	"google.golang.org/api/workflows/v1"
)

// options returns the client options of one API: the shared authenticated
// HTTP client, the user agent and the endpoint override if any.
func (c *Client) options(ctx context.Context, endpoint string) ([]option.ClientOption, error) {
	hc, err := c.HTTPClient(ctx)
	if err != nil {
		return nil, err
	}
	opts := []option.ClientOption{option.WithHTTPClient(hc), option.WithUserAgent(c.cfg.UserAgent)}
	if endpoint != "" {
		opts = append(opts, option.WithEndpoint(endpoint))
	}
	return opts, nil
}

// newService memoises one typed service built by newFn on first success.
func newService[T any](ctx context.Context, c *Client, l *lazy[T], endpoint string,
	newFn func(context.Context, ...option.ClientOption) (T, error)) (T, error) {
	return l.get(func() (T, error) {
		opts, err := c.options(ctx, endpoint)
		if err != nil {
			var zero T
			return zero, err
		}
		return newFn(ctx, opts...)
	})
}

// Run returns the Cloud Run Admin API v2 service.
func (c *Client) Run(ctx context.Context) (*run.Service, error) {
	return newService(ctx, c, &c.run, c.cfg.Endpoints.Run, run.NewService)
}

// CloudFunctionsV1 returns the Cloud Functions v1 service (gen1 functions).
func (c *Client) CloudFunctionsV1(ctx context.Context) (*cloudfunctionsv1.Service, error) {
	return newService(ctx, c, &c.functionsV1, c.cfg.Endpoints.CloudFunctions, cloudfunctionsv1.NewService)
}

// CloudFunctionsV2 returns the Cloud Functions v2 service.
func (c *Client) CloudFunctionsV2(ctx context.Context) (*cloudfunctionsv2.Service, error) {
	return newService(ctx, c, &c.functionsV2, c.cfg.Endpoints.CloudFunctions, cloudfunctionsv2.NewService)
}

// IAM returns the IAM v1 service (service accounts and their policies).
func (c *Client) IAM(ctx context.Context) (*iam.Service, error) {
	return newService(ctx, c, &c.iam, c.cfg.Endpoints.IAM, iam.NewService)
}

// ResourceManager returns the Cloud Resource Manager v1 service.
func (c *Client) ResourceManager(ctx context.Context) (*cloudresourcemanager.Service, error) {
	return newService(ctx, c, &c.resourceManager, c.cfg.Endpoints.ResourceManager, cloudresourcemanager.NewService)
}

// Scheduler returns the Cloud Scheduler v1 service.
func (c *Client) Scheduler(ctx context.Context) (*cloudscheduler.Service, error) {
	return newService(ctx, c, &c.scheduler, c.cfg.Endpoints.CloudScheduler, cloudscheduler.NewService)
}

// IAMCredentials returns the IAM Service Account Credentials v1 service.
func (c *Client) IAMCredentials(ctx context.Context) (*iamcredentials.Service, error) {
	return newService(ctx, c, &c.iamCredentials, c.cfg.Endpoints.IAMCredentials, iamcredentials.NewService)
}

// CloudTasks returns the Cloud Tasks v2 service.
func (c *Client) CloudTasks(ctx context.Context) (*cloudtasks.Service, error) {
	return newService(ctx, c, &c.cloudTasks, c.cfg.Endpoints.CloudTasks, cloudtasks.NewService)
}

// Workflows returns the Workflows v1 service.
func (c *Client) Workflows(ctx context.Context) (*workflows.Service, error) {
	return newService(ctx, c, &c.workflows, c.cfg.Endpoints.Workflows, workflows.NewService)
}
