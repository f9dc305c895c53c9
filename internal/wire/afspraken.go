package wire

import (
	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/i18n"
	"github.com/inburgering/portal/internal/jobs"
	"github.com/inburgering/portal/internal/mail"
)

// registerAppointmentJobs registers the reminder of appointments (issue 11): a portal message a
// day before, retried on failure; a moved or cancelled appointment makes it a no-op. The e-mail
// jobs say that a portal message is waiting and send the link that verifies an address; a
// failed send is retried (the portal message was committed before), for about a day.
func registerAppointmentJobs(q *jobs.Queue, svc *app.Service) {
	q.Register(app.KindAfspraakHerinnering, jobs.Kind{MaxAttempts: 10}, svc.RemindAppointment)
	q.Register(app.KindMailBericht, jobs.Kind{MaxAttempts: 12}, svc.SendMessageMail)
	q.Register(app.KindMailVerificatie, jobs.Kind{MaxAttempts: 8}, svc.SendVerificationMail)
}

// notifier builds the e-mail notifier from the SMTP settings; nil when SMTP_HOST is empty.
func notifier(cfg Config, bundle *i18n.Bundle) (*app.Notifier, error) {
	if cfg.SMTPHost == "" {
		return nil, nil
	}
	m, err := mail.New(mail.Config{Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUsername, Password: cfg.SMTPPassword,
		From: cfg.SMTPFrom, TLS: cfg.SMTPTLS})
	if err != nil {
		return nil, err
	}
	return &app.Notifier{Mailer: m, PortalURL: cfg.BaseURL, Text: func(lang, id string, data map[string]any) string {
		l, ok := bundle.Lookup(lang)
		if !ok {
			l, _ = bundle.Lookup("nl")
		}
		return l.T(id, data)
	}}, nil
}
