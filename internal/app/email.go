package app

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"time"

	"github.com/inburgering/portal/internal/domain"
)

// EmailStore is the storage port of e-mail notifications (issue 11): the address a person chose
// to give, their consent, and its verification.
type EmailStore interface {
	// EmailVoorkeur returns the person's address and consent; the zero value when they gave none.
	EmailVoorkeur(ctx context.Context, inburgeraarID int64) (domain.EmailVoorkeur, error)
	// SetEmail stores the address and consent (an empty address removes them). Another address
	// than the stored one starts unverified. It reports whether the address is unverified.
	SetEmail(ctx context.Context, inburgeraarID int64, v domain.EmailVoorkeur, at time.Time) (bool, error)
	// SetEmailToken stores the hash of a verification token while the address is still adres
	// and unverified; false when it is not.
	SetEmailToken(ctx context.Context, inburgeraarID int64, adres, tokenHash string, expires time.Time) (bool, error)
	// VerifyEmail consumes a valid, unexpired token and marks the address verified; false when
	// the token is not the person's current one.
	VerifyEmail(ctx context.Context, inburgeraarID int64, tokenHash string, at time.Time) (bool, error)
}

// Mail is one e-mail: plain text, to one address.
type Mail struct {
	To, Subject, Text string
	Lang              string // the language of the text (Content-Language)
}

// Mailer sends e-mail (internal/mail over SMTP). A returned error makes the job retry.
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}

// Notifier is what e-mail notifications need besides storage; nil on Service means no SMTP is
// configured and no e-mail is sent (the portal message is there either way).
type Notifier struct {
	Mailer Mailer
	// PortalURL is the portal's public base URL, for the links in e-mails.
	PortalURL string
	// Text translates message ID into lang (the bundle's T); wire sets it.
	Text func(lang, messageID string, data map[string]any) string
}

// Job kinds of e-mail.
const (
	KindMailBericht     = "mail.bericht"
	KindMailVerificatie = "mail.verificatie"
	AuditEmailGewijzigd = "email_gewijzigd"
	AuditEmailBevestigd = "email_bevestigd"
	emailVerifyPath     = "/mijn/e-mail/bevestigen"
	emailTokenBytes     = 32
	maxEmailTokenLength = 64
)

// mailArgs are the e-mail jobs' input: IDs only, no address, no token, no personal data.
type mailArgs struct {
	InburgeraarID int64 `json:"inburgeraarId"`
	BerichtID     int64 `json:"berichtId,omitempty"`
}

// MailEnabled reports whether e-mail is configured (SMTP).
func (s *Service) MailEnabled() bool { return s.Mail != nil && s.Mail.Mailer != nil }

// EmailSettings returns the person's e-mail address and consent.
func (s *Service) EmailSettings(ctx context.Context, id int64) (domain.EmailVoorkeur, error) {
	return s.email.EmailVoorkeur(ctx, id)
}

// SaveEmail stores the address a person chose to give and their consent to be mailed, audited
// (a consent change). An unverified address gets a verification link by e-mail, sent by a job
// in the same transaction. It returns the stored state.
func (s *Service) SaveEmail(ctx context.Context, id int64, v domain.EmailVoorkeur) (domain.EmailVoorkeur, error) {
	person, err := s.people.Inburgeraar(ctx, id)
	if err != nil {
		return domain.EmailVoorkeur{}, err
	}
	at := s.Now().UTC().Truncate(time.Microsecond)
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		unverified, err := s.email.SetEmail(ctx, id, v, at)
		if err != nil {
			return err
		}
		if unverified {
			if err := s.enqueueMail(ctx, KindMailVerificatie, mailArgs{InburgeraarID: id}, ""); err != nil {
				return err
			}
		}
		// Neither the address nor anything of it goes into the audit log.
		return s.audit.AppendAudit(ctx, AuditEntry{At: at, Actor: "inburgeraar", Action: AuditEmailGewijzigd, Subject: s.Pseudonym(person.BSN),
			Details: fmt.Sprintf("adres=%t toestemming=%t", v.Adres != "", v.Toestemming)})
	})
	if err != nil {
		return domain.EmailVoorkeur{}, err
	}
	return s.email.EmailVoorkeur(ctx, id)
}

// ResendEmailVerification sends a new verification link to the person's unverified address.
func (s *Service) ResendEmailVerification(ctx context.Context, id int64) error {
	v, err := s.email.EmailVoorkeur(ctx, id)
	if err != nil {
		return err
	}
	if v.Adres == "" || v.Geverifieerd != nil {
		return domain.Errorf(domain.KindConflict, "error.email_nothing_to_verify")
	}
	return s.enqueueMail(ctx, KindMailVerificatie, mailArgs{InburgeraarID: id}, "")
}

// ConfirmEmail consumes a verification token (from the link in the e-mail, posted by the
// person while logged in): the address is verified. A wrong, used or expired token changes
// nothing.
func (s *Service) ConfirmEmail(ctx context.Context, id int64, token string) error {
	bad := domain.Invalid(domain.Violation{Field: "token", MessageID: "error.email_token_invalid"})
	if token == "" || len(token) > maxEmailTokenLength {
		return bad
	}
	person, err := s.people.Inburgeraar(ctx, id)
	if err != nil {
		return err
	}
	at := s.Now().UTC().Truncate(time.Microsecond)
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		ok, err := s.email.VerifyEmail(ctx, id, hashEmailToken(token), at)
		if err != nil {
			return err
		}
		if !ok {
			return bad
		}
		return s.audit.AppendAudit(ctx, AuditEntry{At: at, Actor: "inburgeraar", Action: AuditEmailBevestigd, Subject: s.Pseudonym(person.BSN)})
	})
}

func hashEmailToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// enqueueMail queues an e-mail job in the transaction of ctx. Without SMTP nothing is queued.
func (s *Service) enqueueMail(ctx context.Context, kind string, args mailArgs, unique string) error {
	if s.Jobs == nil || !s.MailEnabled() {
		return nil
	}
	b, err := json.Marshal(args)
	if err != nil {
		return err
	}
	return s.Jobs.Enqueue(ctx, Job{Kind: kind, Args: b, UniqueKey: unique})
}

// notifyByMail queues the e-mail that says a new portal message is waiting. Called in the
// transaction that stores the message: the message is committed whatever the e-mail does later.
func (s *Service) notifyByMail(ctx context.Context, b domain.Bericht) error {
	return s.enqueueMail(ctx, KindMailBericht, mailArgs{InburgeraarID: b.InburgeraarID, BerichtID: b.ID}, fmt.Sprintf("bericht-%d", b.ID))
}

// addBericht stores a portal message and queues its e-mail notification, in one transaction.
func (s *Service) addBericht(ctx context.Context, b *domain.Bericht) error {
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.messages.AddBericht(ctx, b); err != nil {
			return err
		}
		return s.notifyByMail(ctx, *b)
	})
}

func parseMailArgs(raw json.RawMessage) (mailArgs, error) {
	var a mailArgs
	if err := json.Unmarshal(raw, &a); err != nil || a.InburgeraarID <= 0 {
		return a, domain.Invalid(domain.Violation{Field: "args", MessageID: "error.bad_request"})
	}
	return a, nil
}

func (s *Service) mailText(lang, id string, data map[string]any) string {
	if s.Mail.Text == nil {
		return id
	}
	return s.Mail.Text(lang, id, data)
}

// SendMessageMail runs the notification job: an e-mail in the person's language that says only
// that a new message is waiting in the portal (no subject of the message, no name, no date),
// sent only to a verified address with consent; otherwise nothing. A failed send returns the
// error and the job is retried; the portal message was stored before and stays.
func (s *Service) SendMessageMail(ctx context.Context, raw json.RawMessage) error {
	args, err := parseMailArgs(raw)
	if err != nil || !s.MailEnabled() {
		return err
	}
	v, err := s.email.EmailVoorkeur(ctx, args.InburgeraarID)
	if err != nil || !v.MayMail() {
		return err
	}
	person, err := s.people.Inburgeraar(ctx, args.InburgeraarID)
	if err != nil {
		return err
	}
	lang := cmp.Or(person.PreferredLanguage, "nl")
	data := map[string]any{"URL": s.Mail.PortalURL + "/" + lang + "/mijn/berichten"}
	return s.Mail.Mailer.Send(ctx, Mail{To: v.Adres, Subject: s.mailText(lang, "mail.bericht.subject", data), Text: s.mailText(lang, "mail.bericht.body", data), Lang: lang})
}

// SendVerificationMail runs the verification job: a fresh token (only its hash is stored, valid
// domain.EmailVerificationValidity) and an e-mail with the link to confirm the address, in the
// person's language. An address changed or verified meanwhile makes it a no-op.
func (s *Service) SendVerificationMail(ctx context.Context, raw json.RawMessage) error {
	args, err := parseMailArgs(raw)
	if err != nil || !s.MailEnabled() {
		return err
	}
	v, err := s.email.EmailVoorkeur(ctx, args.InburgeraarID)
	if err != nil || v.Adres == "" || v.Geverifieerd != nil {
		return err
	}
	person, err := s.people.Inburgeraar(ctx, args.InburgeraarID)
	if err != nil {
		return err
	}
	b := make([]byte, emailTokenBytes)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	ok, err := s.email.SetEmailToken(ctx, args.InburgeraarID, v.Adres, hashEmailToken(token), s.Now().Add(domain.EmailVerificationValidity))
	if err != nil || !ok {
		return err
	}
	lang := cmp.Or(person.PreferredLanguage, "nl")
	data := map[string]any{"URL": s.Mail.PortalURL + "/" + lang + emailVerifyPath + "?token=" + url.QueryEscape(token),
		"Count": int(domain.EmailVerificationValidity.Hours())}
	return s.Mail.Mailer.Send(ctx, Mail{To: v.Adres, Subject: s.mailText(lang, "mail.verificatie.subject", data), Text: s.mailText(lang, "mail.verificatie.body", data), Lang: lang})
}
