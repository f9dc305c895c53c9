package portal_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/portal"
)

func TestStaffRegistersSchools(t *testing.T) {
	h := newHarness(t)
	staff := h.login("nl", portal.StaffPersona)

	for _, lang := range h.languages() {
		p := get(t, staff, "/"+lang+"/medewerker/scholen")
		wantStatus(t, p, http.StatusOK)
		h.checkPage(t, p, lang)
		wantText(t, lang, p.main(t), "demo-taalschool-noord", "demo-taalschool-zuid", h.msg(lang, "schools.add_heading"))
	}

	jwks, err := auth.PublicJWKSOf(app.DemoSchools[1].PrivateKeys[0])
	if err != nil {
		t.Fatal(err)
	}
	form := func(change map[string]string) url.Values {
		f := url.Values{
			"_csrf": {csrf(staff, "/nl/medewerker/scholen")}, "clientId": {"school-oost"}, "naam": {"Taalschool Oost"},
			"bowNummer": {"4711"}, "keurmerkGeldigTot": {"2027-12-31"}, "jwks": {string(jwks)},
			"scopes": {"urenverklaringen:schrijven", "contracten:schrijven"},
		}
		for k, v := range change {
			if v == "" {
				f.Del(k)
			} else {
				f.Set(k, v)
			}
		}
		return f
	}

	t.Run("refusals name each field", func(t *testing.T) {
		p := post(t, staff, "/nl/medewerker/scholen", form(map[string]string{"bowNummer": "47-11", "keurmerkGeldigTot": "31-12-2027", "jwks": `{"keys":[]}`, "scopes": ""}))
		wantStatus(t, p, http.StatusBadRequest)
		h.checkPage(t, p, "nl")
		wantText(t, "refusal", p.main(t), h.msg("nl", "error.school_bow"), h.msg("nl", "error.date_invalid"), h.msg("nl", "error.school_jwks"), h.msg("nl", "error.field_required"))
		for _, id := range []string{"bowNummer", "keurmerkGeldigTot", "jwks"} {
			mustQuery(t, p.Doc, "#"+id+"-error")
		}
		if len(h.auditLog(t)) != 0 {
			t.Error("a refused registration was audited as a registration")
		}
	})
	t.Run("register, then a second time", func(t *testing.T) {
		p := post(t, staff, "/nl/medewerker/scholen", form(nil))
		wantRedirect(t, p, "/nl/medewerker/scholen")
		p = get(t, staff, "/nl/medewerker/scholen")
		wantText(t, "list", p.main(t), "school-oost", "Taalschool Oost")
		p = post(t, staff, "/nl/medewerker/scholen", form(nil))
		wantStatus(t, p, http.StatusBadRequest)
		wantText(t, "twice", p.main(t), h.msg("nl", "error.school_taken"))
	})
	t.Run("revoke", func(t *testing.T) {
		p := post(t, staff, "/nl/medewerker/scholen/school-oost/intrekken", url.Values{"_csrf": {csrf(staff, "/nl/medewerker/scholen")}})
		wantRedirect(t, p, "/nl/medewerker/scholen")
		p = get(t, staff, "/nl/medewerker/scholen")
		wantText(t, "revoked", p.main(t), h.msg("nl", "schools.revoked"))
		p = post(t, staff, "/nl/medewerker/scholen/school-oost/intrekken", url.Values{"_csrf": {csrf(staff, "/nl/medewerker/scholen")}})
		wantStatus(t, p, http.StatusNotFound)
	})
	log := h.auditLog(t)
	if len(log) != 2 || log[0].Action != app.AuditSchoolRegistered || log[1].Action != app.AuditSchoolRevoked ||
		log[0].Actor != portal.DemoStaffID || log[1].Subject != "school:school-oost" {
		t.Errorf("audit log %+v, want the registration and the revocation by the demo staff member", log)
	}

	t.Run("not for inburgeraars", func(t *testing.T) {
		b := h.login("nl", "yusuf")
		wantStatus(t, get(t, b, "/nl/medewerker/scholen"), http.StatusForbidden)
		p := post(t, b, "/nl/medewerker/scholen", form(map[string]string{"_csrf": csrf(b, "/nl/mijn"), "clientId": "school-inbraak"}))
		wantStatus(t, p, http.StatusForbidden)
	})
}
