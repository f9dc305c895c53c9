package api

import (
	"context"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

// TestAuthorizeStaff checks the gate's decision for the staff scheme (medewerkerOAuth) against the
// real spec's security schemes: a staff token needs the operation's scope; an inburgeraar or a
// school never passes, whatever its scopes.
func TestAuthorizeStaff(t *testing.T) {
	doc, err := Spec()
	if err != nil {
		t.Fatal(err)
	}
	if doc.Components.SecuritySchemes[StaffSecurityScheme] == nil {
		t.Fatalf("openapi.yaml has no security scheme %s", StaffSecurityScheme)
	}
	flows := doc.Components.SecuritySchemes[StaffSecurityScheme].Value.Flows
	if flows == nil || flows.AuthorizationCode == nil {
		t.Fatal("medewerkerOAuth has no authorizationCode flow")
	}
	for _, s := range domain.StaffScopes {
		if _, ok := flows.AuthorizationCode.Scopes[string(s)]; !ok {
			t.Errorf("medewerkerOAuth does not declare scope %s", s)
		}
	}
	medical := openapi3.SecurityRequirements{{StaffSecurityScheme: {string(domain.ScopeMedicalManage)}}}
	appointments := openapi3.SecurityRequirements{{StaffSecurityScheme: {string(domain.ScopeAppointmentsManage)}}}
	school := openapi3.SecurityRequirements{{"schoolOAuth": {string(domain.ScopeDeclarationsWrite)}}}
	mine := openapi3.SecurityRequirements{{"bearerAuth": {}}}
	staffAll := app.StaffPrincipal("s-1", domain.StaffScopes...)
	staffMedical := app.StaffPrincipal("s-1", domain.ScopeMedicalManage)
	staffNone := app.StaffPrincipal("s-1")
	schoolAll := app.Principal{Kind: app.PrincipalSchool, SchoolID: 1, ClientID: "c", Scopes: append(append([]domain.Scope{}, domain.AllScopes...), domain.StaffScopes...)}
	person := app.InburgeraarPrincipal(7)
	for _, tc := range []struct {
		name string
		reqs openapi3.SecurityRequirements
		p    *app.Principal
		kind domain.Kind
		id   string
	}{
		{"staff with both scopes, medical", medical, &staffAll, "", ""},
		{"staff with both scopes, appointments", appointments, &staffAll, "", ""},
		{"staff with medical scope, medical", medical, &staffMedical, "", ""},
		{"staff without the scope", appointments, &staffMedical, domain.KindForbidden, "error.scope_insufficient"},
		{"staff without any scope", medical, &staffNone, domain.KindForbidden, "error.scope_insufficient"},
		{"school holding the staff scope names", medical, &schoolAll, domain.KindForbidden, "error.forbidden"},
		{"inburgeraar on a staff operation", medical, &person, domain.KindForbidden, "error.forbidden"},
		{"staff on a school operation", school, &staffAll, domain.KindForbidden, "error.forbidden"},
		{"staff on an inburgeraar operation", mine, &staffAll, domain.KindForbidden, "error.forbidden"},
		{"nobody", medical, nil, domain.KindUnauthorized, "error.token_invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.p != nil {
				ctx = app.WithPrincipal(ctx, *tc.p)
			}
			err := authorize(doc, tc.reqs, ctx)
			if tc.kind == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var de *domain.Error
			if !asDomain(err, &de) || de.Kind != tc.kind || de.MessageID != tc.id {
				t.Fatalf("got %v, want %s %s", err, tc.kind, tc.id)
			}
		})
	}
}

func asDomain(err error, de **domain.Error) bool {
	e, ok := err.(*domain.Error)
	*de = e
	return ok
}
