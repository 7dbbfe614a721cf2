// Command terraform-provider-gcpinvoke serves the gcpinvoke Terraform provider
// (plugin protocol 6).
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/gcpinvoke/terraform-provider-gcpinvoke/internal/provider"
)

// version is set by goreleaser: -ldflags "-X main.version={{.Version}}".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve (prints TF_REATTACH_PROVIDERS)")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/gcpinvoke/gcpinvoke",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
