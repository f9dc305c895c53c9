package domain

import (
	"strings"
	"testing"
)

func TestSchoolValidate(t *testing.T) {
	ok := School{ClientID: "school-1", Name: "Taalschool", BOWNumber: "123456", KeurmerkUntil: NewDate(2027, 1, 1), Scopes: AllScopes}
	tests := []struct {
		name   string
		change func(*School)
		fields []string
	}{
		{"valid", func(*School) {}, nil},
		{"empty name", func(s *School) { s.Name = "" }, []string{"naam"}},
		{"padded name", func(s *School) { s.Name = " Taalschool" }, []string{"naam"}},
		{"long name", func(s *School) { s.Name = strings.Repeat("a", 201) }, []string{"naam"}},
		{"BOW with a letter", func(s *School) { s.BOWNumber = "12a" }, []string{"bowNummer"}},
		{"BOW too long", func(s *School) { s.BOWNumber = "12345678901" }, []string{"bowNummer"}},
		{"client ID upper case", func(s *School) { s.ClientID = "School-1" }, []string{"clientId"}},
		{"client ID too short", func(s *School) { s.ClientID = "ab" }, []string{"clientId"}},
		{"client ID leading hyphen", func(s *School) { s.ClientID = "-abc" }, []string{"clientId"}},
		{"no keurmerk date", func(s *School) { s.KeurmerkUntil = Date{} }, []string{"keurmerkGeldigTot"}},
		{"no scopes, bad BOW", func(s *School) { s.Scopes = nil; s.BOWNumber = "" }, []string{"bowNummer", "scopes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok
			tt.change(&s)
			err := s.Validate()
			var got []string
			if err != nil {
				for _, v := range err.(*Error).Violations {
					got = append(got, v.Field)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
				t.Errorf("violations %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestSchoolKeurmerkAndScopes(t *testing.T) {
	s := School{KeurmerkUntil: NewDate(2026, 12, 31), Scopes: []Scope{ScopeContractsWrite}}
	for _, tt := range []struct {
		day  Date
		want bool
	}{{NewDate(2026, 12, 30), true}, {NewDate(2026, 12, 31), true}, {NewDate(2027, 1, 1), false}} {
		if got := s.KeurmerkValid(tt.day); got != tt.want {
			t.Errorf("keurmerk valid on %s = %v, want %v", tt.day, got, tt.want)
		}
	}
	if !s.HasScope(ScopeContractsWrite) || s.HasScope(ScopeDeclarationsWrite) {
		t.Error("HasScope")
	}
	if _, ok := ParseScope("contracten:schrijven "); ok {
		t.Error("ParseScope accepted a padded scope")
	}
}

func TestStaffScopesOf(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []Scope
	}{
		{"", nil},
		{"openid profile", nil},
		{"medische-aanvragen:beheren", []Scope{ScopeMedicalManage}},
		{"afspraken:beheren openid medische-aanvragen:beheren", []Scope{ScopeMedicalManage, ScopeAppointmentsManage}},
		{"medische-aanvragen:beheren medische-aanvragen:beheren", []Scope{ScopeMedicalManage}},
		{"urenverklaringen:schrijven afspraken:beheren", []Scope{ScopeAppointmentsManage}},
		{"MEDISCHE-AANVRAGEN:BEHEREN", nil},
		{"medische-aanvragen:beheren\tafspraken:beheren", []Scope{ScopeMedicalManage, ScopeAppointmentsManage}},
	} {
		got := StaffScopesOf(tc.in)
		if len(got) != len(tc.want) {
			t.Errorf("%q: %v, want %v", tc.in, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%q: %v, want %v", tc.in, got, tc.want)
			}
		}
	}
}
