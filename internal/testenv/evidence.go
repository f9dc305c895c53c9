package testenv

import (
	"bytes"
	"mime/multipart"
	"testing"
)

// Evidence files for the upload tests of the API and the portal (one copy for both): the smallest
// PDF and PNG the content check accepts.
var (
	EvidencePDF = []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
	EvidencePNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x00IEND\xaeB`\x82")
)

// File is one file part of an upload: the form field ("contract", "bankafschrift"), the file
// name and the content.
type File struct {
	Field, Name string
	Content     []byte
}

// Multipart writes an upload form as multipart/form-data: the text fields in order (name,
// value pairs), then the files. It returns the body and its Content-Type.
func Multipart(t testing.TB, fields [][2]string, files ...File) (*bytes.Buffer, string) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for _, f := range fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		fw, err := w.CreateFormFile(f.Field, f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(f.Content); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return &body, w.FormDataContentType()
}
