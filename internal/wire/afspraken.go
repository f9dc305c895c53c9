package wire

import (
	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/jobs"
)

// registerAppointmentJobs registers the reminder of appointments (issue 11): a portal message a
// day before, retried on failure; a moved or cancelled appointment makes it a no-op.
func registerAppointmentJobs(q *jobs.Queue, svc *app.Service) {
	q.Register(app.KindAfspraakHerinnering, jobs.Kind{MaxAttempts: 10}, svc.RemindAppointment)
}
