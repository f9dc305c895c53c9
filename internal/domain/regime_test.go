package domain

import "testing"

func TestRegimeFor(t *testing.T) {
	tests := []struct {
		name    string
		start   string
		want    Regime
		wantErr bool
	}{
		{"before Wi2007", "2006-12-31", "", true},
		{"long before Wi2007", "1999-06-01", "", true},
		{"first day Wi2007", "2007-01-01", Wi2007, false},
		{"last day Wi2007", "2012-12-31", Wi2007, false},
		{"first day Wi2013", "2013-01-01", Wi2013, false},
		{"mid Wi2013", "2017-07-15", Wi2013, false},
		{"last day Wi2013", "2021-12-31", Wi2013, false},
		{"first day Wi2021", "2022-01-01", Wi2021, false},
		{"later Wi2021", "2025-02-04", Wi2021, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RegimeFor(mustDate(t, tt.start))
			if tt.wantErr {
				if err == nil {
					t.Fatalf("RegimeFor(%s) = %q, want error", tt.start, got)
				}
				if ErrorKind(err) != KindInvalid {
					t.Errorf("kind = %q, want invalid", ErrorKind(err))
				}
				return
			}
			if err != nil {
				t.Fatalf("RegimeFor(%s): %v", tt.start, err)
			}
			if got != tt.want {
				t.Errorf("RegimeFor(%s) = %q, want %q", tt.start, got, tt.want)
			}
			// The method on Inburgeraar agrees.
			if r, err := (Inburgeraar{ObligationStart: mustDate(t, tt.start)}).Regime(); err != nil || r != tt.want {
				t.Errorf("Inburgeraar.Regime() = %q, %v; want %q", r, err, tt.want)
			}
		})
	}
}

func TestParseTargetGroup(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    TargetGroup
		wantErr bool
	}{
		{"asielstatushouder", "asielstatushouder", Asielstatushouder, false},
		{"gezinsmigrant", "gezinsmigrant", Gezinsmigrant, false},
		{"overige migrant", "overige_migrant", OverigeMigrant, false},
		{"empty", "", "", true},
		{"upper case", "Gezinsmigrant", "", true},
		{"space instead of underscore", "overige migrant", "", true},
		{"english", "asylum", "", true},
		{"trailing space", "gezinsmigrant ", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTargetGroup(tt.in)
			checkParse(t, tt.in, string(got), err, string(tt.want), tt.wantErr, "doelgroep")
		})
	}
}

func TestParsePayer(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Payer
		wantErr bool
	}{
		{"gemeente", "gemeente", PayerGemeente, false},
		{"loan", "loan", PayerLoan, false},
		{"self", "self", PayerSelf, false},
		{"empty", "", "", true},
		{"dutch lening", "lening", "", true},
		{"upper case", "LOAN", "", true},
		{"duo", "duo", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePayer(tt.in)
			checkParse(t, tt.in, string(got), err, string(tt.want), tt.wantErr, "betaler")
		})
	}
}

func TestParseLearningRoute(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    LearningRoute
		wantErr bool
	}{
		{"b1", "b1", RouteB1, false},
		{"onderwijsroute", "onderwijsroute", RouteOnderwijs, false},
		{"z-route", "z_route", RouteZ, false},
		{"empty", "", "", true},
		{"upper case B1", "B1", "", true},
		{"hyphen", "z-route", "", true},
		{"a2 is not a route", "a2", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLearningRoute(tt.in)
			checkParse(t, tt.in, string(got), err, string(tt.want), tt.wantErr, "leerroute")
		})
	}
}

func checkParse(t *testing.T, in, got string, err error, want string, wantErr bool, field string) {
	t.Helper()
	if wantErr {
		if err == nil {
			t.Fatalf("parse(%q) = %q, want error", in, got)
		}
		if ErrorKind(err) != KindInvalid {
			t.Errorf("kind = %q, want invalid", ErrorKind(err))
		}
		if e := err.(*Error); len(e.Violations) != 1 || e.Violations[0].Field != field {
			t.Errorf("violations = %+v, want one on field %q", e.Violations, field)
		}
		if got != "" {
			t.Errorf("parse(%q) returned %q with error", in, got)
		}
		return
	}
	if err != nil {
		t.Fatalf("parse(%q): %v", in, err)
	}
	if got != want {
		t.Errorf("parse(%q) = %q, want %q", in, got, want)
	}
}
