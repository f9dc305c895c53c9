// Package arch holds the architecture tests: the layering of the service (faces → use cases →
// ports ← storage) checked on the source itself. It has no code of its own.
package arch
