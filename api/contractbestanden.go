package api

import (
	"context"
	"strconv"
	"strings"

	"github.com/inburgering/portal/internal/app"
)

// maxReportedFileProblems mirrors the spec's maxItems of Contractbestand.fouten: the first 200
// problems in rows (app.maxReportedProblems) and one with the file as a whole.
const maxReportedFileProblems = 201

// preferAsync reports whether a Prefer header (RFC 7240) asks for respond-async.
func preferAsync(h string) bool {
	for _, p := range strings.Split(h, ",") {
		if strings.EqualFold(strings.TrimSpace(strings.SplitN(p, ";", 2)[0]), "respond-async") {
			return true
		}
	}
	return false
}

func contractbestandPath(id int64) string {
	return "/v2/contractbestanden/" + strconv.FormatInt(id, 10)
}

// contractbestand maps a background contract file; problems are translated into the language
// of Accept-Language, as the problem details of a refusal are.
func (h *Handlers) contractbestand(ctx context.Context, f app.ContractFile) Contractbestand {
	out := Contractbestand{ID: f.ID, Status: ContractbestandStatus(f.Status), Bytes: f.Bytes, OntvangenOp: f.ReceivedAt.UTC()}
	if f.ProcessedAt != nil {
		t := f.ProcessedAt.UTC()
		out.VerwerktOp = &t
	}
	switch f.Status {
	case app.ContractFileProcessed:
		r := contractbestandResultaat(f.Rows)
		out.Resultaat = &r
	case app.ContractFileRefused:
		rl := languageOf(ctx)
		l := h.Bundle.Negotiate(rl.header)
		rl.code = l.Code()
		fouten := []InvalidParam{}
		for i, v := range f.Problems {
			if i == maxReportedFileProblems {
				break
			}
			fouten = append(fouten, InvalidParam{Name: v.Field, Code: v.MessageID, Reason: l.T(v.MessageID, v.Params)})
		}
		out.Fouten = &fouten
	}
	return out
}

// GetContractbestand returns the status of one of the school's background contract files.
func (h *Handlers) GetContractbestand(ctx context.Context, req GetContractbestandRequestObject) (GetContractbestandResponseObject, error) {
	f, err := h.Service.ContractFileOf(ctx, int64(req.ContractbestandID))
	if err != nil {
		return nil, err
	}
	return GetContractbestand200JSONResponse{Body: h.contractbestand(ctx, f), Headers: GetContractbestand200ResponseHeaders{APIVersion: Version}}, nil
}
