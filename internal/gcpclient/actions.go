package gcpclient

// actionInfo describes an API method for error messages: how to say it in a
// sentence (followed by the resource), the IAM permission it needs and a
// predefined role that grants it.
type actionInfo struct {
	phrase     string
	permission string
	role       string
}

// actions is keyed like the emulator's call counters: "api.collection.method".
var actions = map[string]actionInfo{
	"run.services.get":          {"reading", "run.services.get", "roles/run.viewer"},
	"run.services.list":         {"listing Cloud Run services in", "run.services.list", "roles/run.viewer"},
	"run.services.create":       {"creating", "run.services.create", "roles/run.developer"},
	"run.services.patch":        {"updating", "run.services.update", "roles/run.developer"},
	"run.services.delete":       {"deleting", "run.services.delete", "roles/run.developer"},
	"run.services.getIamPolicy": {"reading the IAM policy of", "run.services.getIamPolicy", "roles/run.viewer"},
	"run.services.setIamPolicy": {"changing the IAM policy of", "run.services.setIamPolicy", "roles/run.admin"},
	"run.operations.get":        {"waiting for", "run.operations.get", "roles/run.viewer"},

	"cloudfunctions.v1.functions.get":          {"reading", "cloudfunctions.functions.get", "roles/cloudfunctions.viewer"},
	"cloudfunctions.v1.functions.getIamPolicy": {"reading the IAM policy of", "cloudfunctions.functions.getIamPolicy", "roles/cloudfunctions.viewer"},
	"cloudfunctions.v1.functions.setIamPolicy": {"changing the IAM policy of", "cloudfunctions.functions.setIamPolicy", "roles/cloudfunctions.admin"},
	"cloudfunctions.v1.operations.get":         {"waiting for", "cloudfunctions.operations.get", "roles/cloudfunctions.viewer"},
	"cloudfunctions.v2.functions.get":          {"reading", "cloudfunctions.functions.get", "roles/cloudfunctions.viewer"},
	"cloudfunctions.v2.functions.getIamPolicy": {"reading the IAM policy of", "cloudfunctions.functions.getIamPolicy", "roles/cloudfunctions.viewer"},
	"cloudfunctions.v2.functions.setIamPolicy": {"changing the IAM policy of", "cloudfunctions.functions.setIamPolicy", "roles/cloudfunctions.admin"},
	"cloudfunctions.v2.operations.get":         {"waiting for", "cloudfunctions.operations.get", "roles/cloudfunctions.viewer"},

	"iam.serviceAccounts.get":          {"reading", "iam.serviceAccounts.get", "roles/iam.serviceAccountViewer"},
	"iam.serviceAccounts.list":         {"listing service accounts in", "iam.serviceAccounts.list", "roles/iam.serviceAccountViewer"},
	"iam.serviceAccounts.create":       {"creating", "iam.serviceAccounts.create", "roles/iam.serviceAccountCreator"},
	"iam.serviceAccounts.patch":        {"updating", "iam.serviceAccounts.update", "roles/iam.serviceAccountAdmin"},
	"iam.serviceAccounts.delete":       {"deleting", "iam.serviceAccounts.delete", "roles/iam.serviceAccountAdmin"},
	"iam.serviceAccounts.getIamPolicy": {"reading the IAM policy of", "iam.serviceAccounts.getIamPolicy", "roles/iam.serviceAccountAdmin"},
	"iam.serviceAccounts.setIamPolicy": {"changing the IAM policy of", "iam.serviceAccounts.setIamPolicy", "roles/iam.serviceAccountAdmin"},

	"iamcredentials.serviceAccounts.generateIdToken":     {"minting an ID token as", "iam.serviceAccounts.getOpenIdToken", "roles/iam.serviceAccountOpenIdTokenCreator"},
	"iamcredentials.serviceAccounts.generateAccessToken": {"minting an access token as", "iam.serviceAccounts.getAccessToken", "roles/iam.serviceAccountTokenCreator"},

	"cloudresourcemanager.projects.get":          {"reading", "resourcemanager.projects.get", "roles/browser"},
	"cloudresourcemanager.projects.getIamPolicy": {"reading the IAM policy of", "resourcemanager.projects.getIamPolicy", "roles/iam.securityReviewer"},

	"cloudscheduler.jobs.get":    {"reading", "cloudscheduler.jobs.get", "roles/cloudscheduler.viewer"},
	"cloudscheduler.jobs.list":   {"listing Cloud Scheduler jobs in", "cloudscheduler.jobs.list", "roles/cloudscheduler.viewer"},
	"cloudscheduler.jobs.create": {"creating", "cloudscheduler.jobs.create", "roles/cloudscheduler.admin"},
	"cloudscheduler.jobs.patch":  {"updating", "cloudscheduler.jobs.update", "roles/cloudscheduler.admin"},
	"cloudscheduler.jobs.delete": {"deleting", "cloudscheduler.jobs.delete", "roles/cloudscheduler.admin"},
	"cloudscheduler.jobs.pause":  {"pausing", "cloudscheduler.jobs.pause", "roles/cloudscheduler.admin"},
	"cloudscheduler.jobs.resume": {"resuming", "cloudscheduler.jobs.enable", "roles/cloudscheduler.admin"},
	"cloudscheduler.jobs.run":    {"running", "cloudscheduler.jobs.run", "roles/cloudscheduler.admin"},

	"cloudtasks.queues.get":          {"reading", "cloudtasks.queues.get", "roles/cloudtasks.viewer"},
	"cloudtasks.queues.create":       {"creating", "cloudtasks.queues.create", "roles/cloudtasks.queueAdmin"},
	"cloudtasks.queues.patch":        {"updating", "cloudtasks.queues.update", "roles/cloudtasks.queueAdmin"},
	"cloudtasks.queues.delete":       {"deleting", "cloudtasks.queues.delete", "roles/cloudtasks.queueAdmin"},
	"cloudtasks.queues.getIamPolicy": {"reading the IAM policy of", "cloudtasks.queues.getIamPolicy", "roles/cloudtasks.viewer"},
	"cloudtasks.queues.setIamPolicy": {"changing the IAM policy of", "cloudtasks.queues.setIamPolicy", "roles/cloudtasks.admin"},

	"workflows.workflows.get":    {"reading", "workflows.workflows.get", "roles/workflows.viewer"},
	"workflows.workflows.create": {"creating", "workflows.workflows.create", "roles/workflows.editor"},
	"workflows.workflows.patch":  {"updating", "workflows.workflows.update", "roles/workflows.editor"},
	"workflows.workflows.delete": {"deleting", "workflows.workflows.delete", "roles/workflows.editor"},
	"workflows.operations.get":   {"waiting for", "workflows.operations.get", "roles/workflows.viewer"},
}

// rolesForPermission suggests a role for permissions Google names in its
// messages but that no action above needs directly.
var rolesForPermission = map[string]string{
	"iam.serviceAccounts.actAs":          "roles/iam.serviceAccountUser",
	"iam.serviceAccounts.getAccessToken": "roles/iam.serviceAccountTokenCreator",
	"iam.serviceAccounts.getOpenIdToken": "roles/iam.serviceAccountOpenIdTokenCreator",
	"serviceusage.services.use":          "roles/serviceusage.serviceUsageConsumer",
}

// Permission returns the IAM permission an action (an "api.collection.method"
// key such as "run.services.setIamPolicy") needs, and whether it is known.
func Permission(action string) (string, bool) {
	a, ok := actions[action]
	return a.permission, ok
}

// roleFor suggests a predefined role granting permission.
func roleFor(permission string) string {
	if r, ok := rolesForPermission[permission]; ok {
		return r
	}
	for _, a := range actions {
		if a.permission == permission {
			return a.role
		}
	}
	return ""
}
