// Package gcpnames holds pure naming helpers for Google Cloud: the OIDC
// audience of a service URL, service-agent emails, IAM member strings,
// resource names and import IDs in the Google provider's formats, and the
// Google-API host test used to decide where OAuth tokens may go.
//
// Nothing here performs I/O; every function is safe for concurrent use.
package gcpnames
