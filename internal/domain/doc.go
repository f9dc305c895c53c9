// Package domain holds the entities and rules of civic integration (inburgering):
// the integration term, the PIP, the DUO loan and the people they belong to.
//
// It imports only the standard library (see imports_test.go). Every amount, period
// and threshold comes from a versioned Policy (policy.go), never from a constant in a rule.
// ../shared/domain.md is the rule book and glossary; section numbers in comments refer to it.
package domain
