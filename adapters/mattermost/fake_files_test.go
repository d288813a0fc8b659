package mattermost

import (
	"io"
	"net/http"

	"github.com/mattermost/mattermost/server/public/model"
)

// fakeFiles is what the fake server keeps of uploaded files.
type fakeFiles struct {
	uploads []fakeUpload
	status  []int // answer the next uploads with these statuses instead of 201
	tries   int   // upload requests, failed ones included
}

// fakeUpload is a file as it reached POST /files.
type fakeUpload struct {
	ID, Channel, Name string
	Data              []byte
}

// serveFiles adds Mattermost's file upload (POST /files: a multipart form
// with channel_id and files). Member counts come from the roster
// (fake_roster_test.go).
func (f *fakeMattermost) serveFiles(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v4/files", f.authed(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.files.tries++
		if len(f.files.status) > 0 {
			code := f.files.status[0]
			f.files.status = f.files.status[1:]
			f.mu.Unlock()
			appError(w, code, "upload refused")
			return
		}
		f.mu.Unlock()
		file, hdr, err := r.FormFile("files")
		if err != nil {
			appError(w, http.StatusBadRequest, err.Error())
			return
		}
		data, _ := io.ReadAll(file)
		f.mu.Lock()
		up := fakeUpload{ID: f.id(), Channel: r.FormValue("channel_id"), Name: hdr.Filename, Data: data}
		f.files.uploads = append(f.files.uploads, up)
		f.mu.Unlock()
		w.WriteHeader(http.StatusCreated)
		writeJSON(w, &model.FileUploadResponse{FileInfos: []*model.FileInfo{{Id: up.ID, ChannelId: up.Channel, Name: up.Name, Size: int64(len(data))}}})
	}))
}

// uploaded is every file that reached the server.
func (f *fakeMattermost) uploaded() []fakeUpload {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeUpload(nil), f.files.uploads...)
}

// failUploads makes the next uploads fail with these statuses.
func (f *fakeMattermost) failUploads(status ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files.status = status
}
