package emulator_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"
	"strings"

	cloudscheduler "google.golang.org/api/cloudscheduler/v1"
	"google.golang.org/api/googleapi"
	iam "google.golang.org/api/iam/v1"
	run "google.golang.org/api/run/v2"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/emulator"
)

const helloService = "projects/demo-project/locations/us-central1/services/hello"

// An emulator with the default seed, served by httptest and read with the
// official Cloud Run client.
func Example() {
	emu, err := emulator.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer emu.Close()
	srv := httptest.NewServer(emu)
	defer srv.Close()
	emu.SetBaseURL(srv.URL)

	runSvc, err := run.NewService(context.Background(), emu.ClientOptions()...)
	if err != nil {
		log.Fatal(err)
	}
	svc, err := runSvc.Projects.Locations.Services.Get(helloService).Do()
	if err != nil {
		log.Fatal(err)
	}
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	fmt.Println(svc.Name)
	fmt.Println(strings.HasPrefix(svc.Uri, "http://hello-"), strings.HasSuffix(svc.Uri, ".a.run.localhost"+port))
	fmt.Println(emu.Calls()["run.services.get"])
	// Output:
	// projects/demo-project/locations/us-central1/services/hello
	// true true
	// 1
}

// Faults make the next call of a method fail the way Google's API would.
func ExampleEmulator_SetFaults() {
	emu, err := emulator.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer emu.Close()
	srv := httptest.NewServer(emu)
	defer srv.Close()
	emu.SetBaseURL(srv.URL)
	runSvc, err := run.NewService(context.Background(), emu.ClientOptions()...)
	if err != nil {
		log.Fatal(err)
	}

	emu.SetFaults(emulator.Faults{FailNext: map[string]*emulator.FailSpec{
		"run.services.getIamPolicy": {Code: 503, Count: 1},
	}})
	for i := 0; i < 2; i++ {
		_, err := runSvc.Projects.Locations.Services.GetIamPolicy(helloService).Do()
		var gerr *googleapi.Error
		if errors.As(err, &gerr) {
			fmt.Println("HTTP", gerr.Code)
		} else if err == nil {
			fmt.Println("ok")
		}
	}
	fmt.Println(emu.Calls()["run.services.getIamPolicy"])
	// Output:
	// HTTP 503
	// ok
	// 2
}

// A Cloud Scheduler job that calls the seeded Cloud Run service with an OIDC
// token: the service account is created, granted roles/run.invoker on the
// service, and the job runs; the attempt shows what the service saw. (The
// default seed grants the Cloud Scheduler service agent its project-level
// role, which lets it mint tokens for the account.)
func ExampleEmulator_Attempts() {
	emu, err := emulator.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer emu.Close()
	srv := httptest.NewServer(emu)
	defer srv.Close()
	emu.SetBaseURL(srv.URL)
	ctx := context.Background()
	iamSvc, err := iam.NewService(ctx, emu.ClientOptions()...)
	if err != nil {
		log.Fatal(err)
	}
	runSvc, err := run.NewService(ctx, emu.ClientOptions()...)
	if err != nil {
		log.Fatal(err)
	}
	schedSvc, err := cloudscheduler.NewService(ctx, emu.ClientOptions()...)
	if err != nil {
		log.Fatal(err)
	}

	sa, err := iamSvc.Projects.ServiceAccounts.Create("projects/demo-project",
		&iam.CreateServiceAccountRequest{AccountId: "scheduler-caller"}).Do()
	if err != nil {
		log.Fatal(err)
	}
	hello, err := runSvc.Projects.Locations.Services.Get(helloService).Do()
	if err != nil {
		log.Fatal(err)
	}
	pol, err := runSvc.Projects.Locations.Services.GetIamPolicy(helloService).Do()
	if err != nil {
		log.Fatal(err)
	}
	pol.Bindings = append(pol.Bindings, &run.GoogleIamV1Binding{Role: "roles/run.invoker", Members: []string{"serviceAccount:" + sa.Email}})
	if _, err := runSvc.Projects.Locations.Services.SetIamPolicy(helloService, &run.GoogleIamV1SetIamPolicyRequest{Policy: pol}).Do(); err != nil {
		log.Fatal(err)
	}
	job, err := schedSvc.Projects.Locations.Jobs.Create("projects/demo-project/locations/us-central1", &cloudscheduler.Job{
		Name:     "projects/demo-project/locations/us-central1/jobs/ping",
		Schedule: "*/5 * * * *",
		HttpTarget: &cloudscheduler.HttpTarget{
			Uri:       hello.Uri + "/ping",
			OidcToken: &cloudscheduler.OidcToken{ServiceAccountEmail: sa.Email, Audience: hello.Uri},
		},
	}).Do()
	if err != nil {
		log.Fatal(err)
	}
	if _, err := schedSvc.Projects.Locations.Jobs.Run(job.Name, &cloudscheduler.RunJobRequest{}).Do(); err != nil {
		log.Fatal(err)
	}

	for _, a := range emu.Attempts() {
		fmt.Println(a.Caller, a.Source)
		fmt.Println(a.StatusCode, a.TokenType, a.Identity, a.Audience == hello.Uri)
	}
	// Output:
	// cloudscheduler projects/demo-project/locations/us-central1/jobs/ping
	// 200 oidc scheduler-caller@demo-project.iam.gserviceaccount.com true
}

// A misspelled key in a seed is an error naming it, not a silently missing
// service.
func ExampleParseSeed() {
	_, err := emulator.ParseSeed([]byte(`{
	  "projects": [{"projectId": "demo-project", "projectNumber": "123456789012"}],
	  "runServices": [{"project": "demo-project", "location": "us-central1", "nmae": "hello"}]
	}`))
	fmt.Println(err)
	// Output:
	// unknown field "runServices[0].nmae" (allowed there: project, location, name, ingress, invokerIamDisabled, customAudiences, serviceAccount)
}
