package emulator

import "strings"

// Grantable roles per resource kind. Google refuses a predefined role that
// does not exist, or that carries no permission applying to the resource,
// with 400 INVALID_ARGUMENT "Role roles/x is not supported for this
// resource." (the wording seen on setIamPolicy of projects, organizations,
// service accounts and Cloud Run services). These tables are the emulator's
// own list, written from Google's IAM roles reference
// (https://cloud.google.com/iam/docs/understanding-roles) and kept apart
// from the provider's validators on purpose: a mistake on one side shows up
// as a disagreement instead of hiding on both.
//
// Custom roles (projects/P/roles/R, organizations/O/roles/R) are not
// modelled: any well-formed custom role name is accepted.

// basicRoles are the basic roles; they apply to every resource.
var basicRoles = []string{"roles/owner", "roles/editor", "roles/viewer"}

// runServiceRoles are the Cloud Run roles that apply to a service.
var runServiceRoles = []string{
	"roles/run.invoker", "roles/run.servicesInvoker", "roles/run.developer",
	"roles/run.admin", "roles/run.viewer", "roles/run.sourceViewer",
	"roles/run.sourceDeveloper",
}

// functionRoles are the Cloud Functions roles that apply to a function (v1
// and v2 API). roles/run.invoker is not among them: a gen2 function is
// invoked through its Cloud Run service, whose policy holds that role.
var functionRoles = []string{
	"roles/cloudfunctions.invoker", "roles/cloudfunctions.developer",
	"roles/cloudfunctions.admin", "roles/cloudfunctions.viewer",
}

// serviceAccountRoles are the roles carrying iam.serviceAccounts.*
// permissions, grantable on a service account. The service agent roles of
// Cloud Scheduler, Cloud Tasks and Workflows carry
// iam.serviceAccounts.getAccessToken / getOpenIdToken / actAs.
var serviceAccountRoles = []string{
	"roles/iam.serviceAccountUser", "roles/iam.serviceAccountTokenCreator",
	"roles/iam.serviceAccountOpenIdTokenCreator", "roles/iam.serviceAccountAdmin",
	"roles/iam.serviceAccountViewer", "roles/iam.serviceAccountKeyAdmin",
	"roles/iam.workloadIdentityUser", "roles/iam.securityAdmin",
	"roles/iam.securityReviewer", "roles/iam.roleViewer",
	"roles/cloudscheduler.serviceAgent", "roles/cloudtasks.serviceAgent",
	"roles/workflows.serviceAgent",
}

// queueRoles are the Cloud Tasks roles that apply to a queue.
var queueRoles = []string{
	"roles/cloudtasks.enqueuer", "roles/cloudtasks.taskRunner", "roles/cloudtasks.taskDeleter",
	"roles/cloudtasks.viewer", "roles/cloudtasks.queueAdmin", "roles/cloudtasks.admin",
}

// projectOnlyRoles are predefined roles the emulator knows that apply to a
// project but not to the narrower resources above. A project accepts every
// role of this file plus these.
var projectOnlyRoles = []string{
	"roles/browser", "roles/iam.serviceAccountCreator", "roles/iam.roleAdmin",
	"roles/resourcemanager.projectIamAdmin",
	"roles/cloudscheduler.admin", "roles/cloudscheduler.viewer", "roles/cloudscheduler.jobRunner",
	"roles/workflows.admin", "roles/workflows.editor", "roles/workflows.invoker", "roles/workflows.viewer",
	"roles/serviceusage.serviceUsageConsumer", "roles/serviceusage.serviceUsageAdmin",
	"roles/logging.logWriter", "roles/logging.viewer", "roles/logging.admin",
	"roles/monitoring.metricWriter", "roles/monitoring.viewer",
	"roles/pubsub.publisher", "roles/pubsub.subscriber", "roles/pubsub.editor", "roles/pubsub.viewer", "roles/pubsub.admin",
	"roles/storage.admin", "roles/storage.objectAdmin", "roles/storage.objectViewer", "roles/storage.objectCreator",
	"roles/compute.admin", "roles/compute.viewer", "roles/compute.instanceAdmin", "roles/compute.instanceAdmin.v1",
	"roles/bigquery.admin", "roles/bigquery.dataEditor", "roles/bigquery.dataViewer", "roles/bigquery.jobUser", "roles/bigquery.user",
	"roles/secretmanager.secretAccessor", "roles/secretmanager.admin",
	"roles/cloudbuild.builds.editor", "roles/cloudbuild.builds.builder",
	"roles/artifactregistry.reader", "roles/artifactregistry.writer",
	"roles/eventarc.eventReceiver", "roles/eventarc.admin",
	"roles/cloudsql.client", "roles/cloudsql.admin",
	"roles/datastore.user", "roles/datastore.viewer",
	"roles/firestore.serviceAgent",
	"roles/run.serviceAgent", "roles/cloudfunctions.serviceAgent",
}

// roleSet builds a lookup table from lists of roles.
func roleSet(lists ...[]string) map[string]bool {
	out := map[string]bool{}
	for _, l := range lists {
		for _, r := range l {
			out[r] = true
		}
	}
	return out
}

var (
	runServiceGrantable     = roleSet(basicRoles, runServiceRoles)
	functionGrantable       = roleSet(basicRoles, functionRoles)
	serviceAccountGrantable = roleSet(basicRoles, serviceAccountRoles)
	queueGrantable          = roleSet(basicRoles, queueRoles)
	projectGrantable        = roleSet(basicRoles, runServiceRoles, functionRoles, serviceAccountRoles, queueRoles, projectOnlyRoles)
)

// roleSupported reports whether a role may be granted on a resource of the
// kind: a predefined role must be in the kind's table; a custom role is
// accepted as is.
func (k *iamKind) roleSupported(role string) bool {
	if !strings.HasPrefix(role, "roles/") || k.roles == nil {
		return true
	}
	return k.roles[role]
}
