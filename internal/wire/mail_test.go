package wire_test

import (
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/internal/wire"
)

// smtpServer is a real SMTP server (github.com/emersion/go-smtp) on a local port that keeps what
// it receives; while failing it answers every message with a temporary error (451).
type smtpServer struct {
	mu       sync.Mutex
	failing  bool
	attempts int
	got      []received
	arrived  chan struct{}
	addr     string
}

type received struct {
	From, To string
	Header   mail.Header
	Body     string
}

func startSMTP(t *testing.T) *smtpServer {
	t.Helper()
	s := &smtpServer{arrived: make(chan struct{}, 16)}
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = l.Addr().String()
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

func (s *smtpServer) setFailing(f bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failing = f
}

func (s *smtpServer) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }

type smtpSession struct {
	s        *smtpServer
	from, to string
}

func (x *smtpSession) Reset()        {}
func (x *smtpSession) Logout() error { return nil }
func (x *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}
func (x *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = to
	return nil
}
func (x *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	x.s.attempts++
	if x.s.failing {
		x.s.arrived <- struct{}{}
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	m, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		return err
	}
	body, err := io.ReadAll(m.Body)
	if err != nil {
		return err
	}
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		if body, err = io.ReadAll(quotedprintable.NewReader(strings.NewReader(string(body)))); err != nil {
			return err
		}
	}
	x.s.got = append(x.s.got, received{From: x.from, To: x.to, Header: m.Header, Body: strings.ReplaceAll(string(body), "\r\n", "\n")})
	x.s.arrived <- struct{}{}
	return nil
}

// wait returns the n-th message received (1-based), waiting for it to arrive.
func (s *smtpServer) wait(t *testing.T, n int) received {
	t.Helper()
	deadline := time.After(60 * time.Second) // a safety net for a hung test, not a timing assertion
	for {
		s.mu.Lock()
		if len(s.got) >= n {
			m := s.got[n-1]
			s.mu.Unlock()
			return m
		}
		s.mu.Unlock()
		select {
		case <-s.arrived:
		case <-deadline:
			t.Fatalf("message %d never arrived (%d attempts)", n, s.attempts)
		}
	}
}

func (s *smtpServer) waitAttempts(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		s.mu.Lock()
		a := s.attempts
		s.mu.Unlock()
		if a >= n {
			return
		}
		select {
		case <-s.arrived:
		case <-deadline:
			t.Fatalf("attempt %d never came", n)
		}
	}
}

func subject(t *testing.T, h mail.Header) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var verifyLink = regexp.MustCompile(`https?://\S+/mijn/e-mail/bevestigen\?token=(\S+)`)

// TestMailNotifications: a person gives an address and consents; the verification link arrives
// by e-mail through a real SMTP server, in their language (Tigrinya), and confirming it verifies
// the address. Then a portal message gives an e-mail that says only that a message is waiting;
// while the server fails, the message is in the inbox all the same and the job retries until the
// e-mail goes out.
func TestMailNotifications(t *testing.T) {
	srv := startSMTP(t)
	host, port, _ := net.SplitHostPort(srv.addr)
	clock := testenv.NewClock(time.Now()) // River's maintenance wants a clock near the real one
	a := testenv.New(t, testenv.Options{Clock: clock, JobsOnClock: true, StartJobs: true, Config: func(c *wire.Config) {
		c.SMTPHost, c.SMTPTLS, c.SMTPFrom = host, "none", "DUO Inburgering <noreply@duo.example>"
		c.SMTPPort = atoi(t, port)
	}})
	// The queue's clock follows the real one: a job enqueued "now" is stamped by the database,
	// a moment after a clock that stands still, and would wait for the next Advance.
	tick := make(chan struct{})
	t.Cleanup(func() { close(tick) })
	go func() {
		for {
			select {
			case <-tick:
				return
			case <-time.After(100 * time.Millisecond):
				clock.Advance(100 * time.Millisecond)
			}
		}
	}()
	ctx := context.Background()
	dawit, err := a.Service.PersonaLogin(ctx, "dawit")
	if err != nil {
		t.Fatal(err)
	}
	ti, _ := a.Bundle.Lookup("ti")
	if !a.Service.MailEnabled() {
		t.Fatal("SMTP is configured but mail is not enabled")
	}

	// Nothing is mailed before the address is verified.
	v, err := a.Service.SaveEmail(ctx, dawit.ID, domain.EmailVoorkeur{Adres: "dawit@example.org", Toestemming: true})
	if err != nil || v.Geverifieerd != nil || !v.Toestemming {
		t.Fatalf("save: %+v %v", v, err)
	}
	m := srv.wait(t, 1)
	if m.To != "dawit@example.org" || m.Header.Get("Content-Language") != "ti" || subject(t, m.Header) != ti.T("mail.verificatie.subject") {
		t.Fatalf("verification mail: to %s, headers %v", m.To, m.Header)
	}
	found := verifyLink.FindStringSubmatch(m.Body)
	if found == nil || !strings.Contains(m.Body, "/ti/mijn/e-mail/bevestigen?token=") {
		t.Fatalf("no verification link in:\n%s", m.Body)
	}
	if want := ti.T("mail.verificatie.body", map[string]any{"URL": found[0], "Count": 48}); strings.TrimSpace(m.Body) != strings.TrimSpace(want) {
		t.Fatalf("verification body:\n%s\nwant:\n%s", m.Body, want)
	}
	if err := a.Service.ConfirmEmail(ctx, dawit.ID, "not-the-token"); domain.ErrorKind(err) != domain.KindInvalid {
		t.Fatalf("a wrong token: %v", err)
	}
	if err := a.Service.ConfirmEmail(ctx, dawit.ID, found[1]); err != nil {
		t.Fatalf("confirm: %v", err)
	}
	if err := a.Service.ConfirmEmail(ctx, dawit.ID, found[1]); domain.ErrorKind(err) != domain.KindInvalid {
		t.Fatalf("a token works once: %v", err)
	}
	if v, _ := a.Service.EmailSettings(ctx, dawit.ID); !v.MayMail() {
		t.Fatalf("after confirming: %+v", v)
	}

	// The server fails: the portal message is stored all the same, and the e-mail job retries.
	srv.setFailing(true)
	b, err := a.Service.Post(ctx, dawit.ID, app.BerichtAfspraakGeboekt, map[string]string{"Datum": "2026-12-08", "Tijd": "10:30", "Kenmerk": "AF-99"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Service.Bericht(ctx, dawit.ID, b.ID); err != nil {
		t.Fatalf("the portal message was lost: %v", err)
	}
	srv.waitAttempts(t, 2) // the verification mail, then the failed notification
	srv.setFailing(false)
	// The retry is due once the queue's clock passes River's retry delay: move the clock on until
	// the e-mail arrives (the failure may be recorded after a first move).
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(500 * time.Millisecond):
				clock.Advance(time.Minute)
			}
		}
	}()
	m = srv.wait(t, 2)
	close(stop)
	want := ti.T("mail.bericht.body", map[string]any{"URL": a.Config.BaseURL + "/ti/mijn/berichten"})
	if m.To != "dawit@example.org" || subject(t, m.Header) != ti.T("mail.bericht.subject") || strings.TrimSpace(m.Body) != strings.TrimSpace(want) {
		t.Fatalf("notification: %s %q\n%s\nwant\n%s", m.To, subject(t, m.Header), m.Body, want)
	}
	// No personal details: not the name, not the appointment's date, time or reference.
	for _, secret := range []string{"Dawit", "Tesfay", "AF-99", "10:30", "2026-12-08", string(dawit.BSN)} {
		if strings.Contains(m.Body, secret) || strings.Contains(subject(t, m.Header), secret) {
			t.Errorf("the e-mail names %q", secret)
		}
	}
	if m.Header.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("Auto-Submitted = %q", m.Header.Get("Auto-Submitted"))
	}

	// Consent withdrawn: a new message gives no e-mail (the job runs and sends nothing).
	if _, err := a.Service.SaveEmail(ctx, dawit.ID, domain.EmailVoorkeur{Adres: "dawit@example.org"}); err != nil {
		t.Fatal(err)
	}
	if err := a.Service.SendMessageMail(ctx, []byte(`{"inburgeraarId":`+itoa(dawit.ID)+`,"berichtId":1}`)); err != nil {
		t.Fatal(err)
	}
	srv.mu.Lock()
	n := len(srv.got)
	srv.mu.Unlock()
	if n != 2 {
		t.Fatalf("%d mails after consent was withdrawn", n)
	}
}

// TestMailConfig: SMTP settings are checked at start.
func TestMailConfig(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	for _, tc := range []struct {
		name string
		env  func(string) string
		bad  string
	}{
		{"no SMTP", env(), ""},
		{"complete", env("SMTP_HOST", "smtp.example", "SMTP_FROM", "noreply@example.nl"), ""},
		{"no sender", env("SMTP_HOST", "smtp.example"), "SMTP_FROM"},
		{"bad TLS mode", env("SMTP_HOST", "smtp.example", "SMTP_FROM", "a@b.nl", "SMTP_TLS", "maybe"), "SMTP_TLS"},
		{"bad port", env("SMTP_HOST", "smtp.example", "SMTP_FROM", "a@b.nl", "SMTP_PORT", "x"), "SMTP_PORT"},
	} {
		c := wire.FromEnv(tc.env)
		err := c.Validate()
		if tc.bad == "" && err != nil || tc.bad != "" && (err == nil || !strings.Contains(err.Error(), tc.bad)) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	c := wire.FromEnv(env("SMTP_HOST", "smtp.example", "SMTP_FROM", "a@b.nl"))
	if c.SMTPPort != 587 || c.SMTPTLS != "starttls" {
		t.Errorf("defaults: port %d, TLS %s", c.SMTPPort, c.SMTPTLS)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
