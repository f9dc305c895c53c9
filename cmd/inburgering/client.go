package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/wire"
)

const clientUsage = `usage:
  inburgering client add -id CLIENT_ID -name NAME -bow NUMBER -keurmerk-tot YYYY-MM-DD -jwks FILE [-scopes "s1 s2"]
  inburgering client list
  inburgering client revoke -id CLIENT_ID
  inburgering client assertion -id DEMO_CLIENT_ID [-key N] [-aud URL]   (demo schools only)`

// runClient manages the API clients of language schools (issue 10).
func runClient(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(clientUsage)
	}
	cfg := wire.FromEnv(getenv)
	fs := flag.NewFlagSet("client "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	id := fs.String("id", "", "client ID")
	switch args[0] {
	case "assertion":
		key := fs.Int("key", 0, "which of the demo school's keys signs")
		aud := fs.String("aud", cfg.BaseURL+app.TokenEndpointPath, "audience: the token endpoint")
		if err := fs.Parse(args[1:]); err != nil {
			return fmt.Errorf("%v\n%s", err, clientUsage)
		}
		// The demo keys are in the source code: only they can be used here, never a real school's.
		d, ok := app.DemoSchoolByClientID(*id)
		if !ok || *key < 0 || *key >= len(d.PrivateKeys) {
			return fmt.Errorf("no demo school %q with key %d (demo schools: %s, %s)", *id, *key, app.DemoSchools[0].ClientID, app.DemoSchools[1].ClientID)
		}
		k, err := auth.ParsePrivateJWK([]byte(d.PrivateKeys[*key]))
		if err != nil {
			return err
		}
		a, err := auth.SignAssertion(k, d.ClientID, *aud, time.Now(), 2*time.Minute)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, a)
		return nil
	case "add", "list", "revoke":
	default:
		return fmt.Errorf("unknown client command %q\n%s", args[0], clientUsage)
	}
	name := fs.String("name", "", "school name")
	bow := fs.String("bow", "", "Blik op Werk number")
	until := fs.String("keurmerk-tot", "", "keurmerk valid until (YYYY-MM-DD)")
	jwksFile := fs.String("jwks", "", "file with the school's public keys (JWK Set)")
	scopes := fs.String("scopes", "", "granted scopes, space-separated (default: all)")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("%v\n%s", err, clientUsage)
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	st, err := wire.Open(ctx, cfg)
	if err != nil {
		return oneLine(err)
	}
	defer st.Close()
	a, err := wire.Build(ctx, cfg, st, wire.Options{Logger: newLogger(io.Discard, "error")})
	if err != nil {
		return err
	}
	svc := a.Service
	switch args[0] {
	case "list":
		list, err := svc.Schools(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "CLIENT ID\tNAAM\tBOW\tKEURMERK TOT\tSCOPES\tSTATUS")
		for _, s := range list {
			status := "actief"
			if !s.Active() {
				status = "ingetrokken " + s.RevokedAt.UTC().Format(time.RFC3339)
			}
			sc := make([]string, len(s.Scopes))
			for i, x := range s.Scopes {
				sc[i] = string(x)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", s.ClientID, s.Name, s.BOWNumber, s.KeurmerkUntil, strings.Join(sc, " "), status)
		}
		return w.Flush()
	case "revoke":
		if err := svc.RevokeSchool(ctx, "cli", *id); err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "client %s revoked\n", *id)
		return nil
	}
	d, err := domain.ParseDate(*until)
	if err != nil {
		return fmt.Errorf("-keurmerk-tot must be a date YYYY-MM-DD, not %q", *until)
	}
	jwks, err := os.ReadFile(*jwksFile)
	if err != nil {
		return fmt.Errorf("-jwks: %w", err)
	}
	sc := domain.School{ClientID: *id, Name: *name, BOWNumber: *bow, KeurmerkUntil: d, JWKS: jwks, Scopes: domain.AllScopes}
	if strings.TrimSpace(*scopes) != "" {
		sc.Scopes = nil
		for _, f := range strings.Fields(*scopes) {
			x, ok := domain.ParseScope(f)
			if !ok {
				return fmt.Errorf("unknown scope %q", f)
			}
			sc.Scopes = append(sc.Scopes, x)
		}
	}
	if _, err := svc.RegisterSchool(ctx, "cli", sc); err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "client %s registered\n", sc.ClientID)
	return nil
}

// describe names, for the command line, what a refused registration got wrong: the fields and
// their message IDs (the locale files explain each).
func describe(err error) error {
	var de *domain.Error
	if !errors.As(err, &de) {
		return err
	}
	if len(de.Violations) == 0 {
		return fmt.Errorf("refused: %s", de.MessageID)
	}
	parts := make([]string, len(de.Violations))
	for i, v := range de.Violations {
		parts[i] = v.Field + " (" + v.MessageID + ")"
	}
	return fmt.Errorf("refused: %s", strings.Join(parts, ", "))
}
