// Package client is a Go client for the public API, generated from openapi.yaml by
// oapi-codegen as a consumer would generate it. The end-to-end tests in api/ use it, so the
// spec is exercised the way a school's or an app's developer uses it.
package client

// The config's output path is relative to the module root, so run from there.
//go:generate sh -c "cd ../.. && go tool oapi-codegen -config api/client/oapi-codegen.yaml openapi.yaml"
