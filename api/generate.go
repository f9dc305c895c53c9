// Package api is the public JSON API described by openapi.yaml: the code that
// oapi-codegen generates from it (openapi.gen.go) and the handlers that map its
// DTOs to the use cases in internal/app.
package api

// The config's output path is relative to the module root, so run from there.
//go:generate sh -c "cd .. && go tool oapi-codegen -config api/oapi-codegen.yaml openapi.yaml"
