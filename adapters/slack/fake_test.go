package slack

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// fakeSlack is a Web API server that records what the bot sent.
type fakeSlack struct {
	*httptest.Server
	mu        sync.Mutex
	calls     []apiCall
	limitNext int             // answer the next N calls with 429
	socketURL string          // what apps.connections.open hands out
	admins    map[string]bool // users.info says these users are workspace admins

	uploads      []upload // files POSTed to the URLs files.getUploadURLExternal handed out
	uploadStatus []int    // answer the next uploads with these statuses instead of 200
}

// upload is a file's bytes as they reached the upload URL.
type upload struct {
	ID, Filename string
	Data         []byte
}

type apiCall struct {
	Method string
	Form   url.Values
}

func newFakeSlack(t *testing.T) *fakeSlack {
	f := &fakeSlack{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id, ok := strings.CutPrefix(r.URL.Path, "/upload/"); ok {
			f.receive(w, r, id)
			return
		}
		r.ParseForm()
		method := strings.TrimPrefix(r.URL.Path, "/api/")
		f.mu.Lock()
		if f.limitNext > 0 {
			f.limitNext--
			f.mu.Unlock()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		f.calls = append(f.calls, apiCall{Method: method, Form: r.PostForm})
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch method {
		case "auth.test":
			fmt.Fprint(w, `{"ok":true,"user_id":"UBOT","team":"raad","user":"waardenbot"}`)
		case "chat.postMessage":
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1700000000.000100"}`, r.PostForm.Get("channel"))
		case "apps.connections.open":
			f.mu.Lock()
			fmt.Fprintf(w, `{"ok":true,"url":%q}`, f.socketURL)
			f.mu.Unlock()
		case "users.info":
			f.mu.Lock()
			admin := f.admins[r.PostForm.Get("user")]
			f.mu.Unlock()
			fmt.Fprintf(w, `{"ok":true,"user":{"id":%q,"is_admin":%t}}`, r.PostForm.Get("user"), admin)
		case "chat.postEphemeral":
			fmt.Fprint(w, `{"ok":true,"message_ts":"1700000000.000200"}`)
		case "files.getUploadURLExternal":
			id := fmt.Sprintf("F%d", len(f.sent(method)))
			fmt.Fprintf(w, `{"ok":true,"upload_url":%q,"file_id":%q}`, f.URL+"/upload/"+id, id)
		case "files.completeUploadExternal":
			fmt.Fprintf(w, `{"ok":true,"files":%s}`, r.PostForm.Get("files"))
		case "conversations.open":
			fmt.Fprintf(w, `{"ok":true,"channel":{"id":"D%s"}}`, r.PostForm.Get("users"))
		case "conversations.info":
			fmt.Fprintf(w, `{"ok":true,"channel":{"id":%q,"num_members":7}}`, r.PostForm.Get("channel"))
		default:
			fmt.Fprint(w, `{"ok":true}`)
		}
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeSlack) sent(method string) []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []apiCall
	for _, c := range f.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// receive takes a file at its upload URL, as Slack's upload step does: a
// multipart form with the bytes in the field "file".
func (f *fakeSlack) receive(w http.ResponseWriter, r *http.Request, id string) {
	f.mu.Lock()
	if len(f.uploadStatus) > 0 {
		code := f.uploadStatus[0]
		f.uploadStatus = f.uploadStatus[1:]
		f.mu.Unlock()
		w.WriteHeader(code)
		return
	}
	f.mu.Unlock()
	file, hdr, err := r.FormFile("file")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	data, _ := io.ReadAll(file)
	f.mu.Lock()
	f.uploads = append(f.uploads, upload{ID: id, Filename: hdr.Filename, Data: data})
	f.mu.Unlock()
	fmt.Fprintf(w, "OK - %d", len(data))
}

// uploaded returns the files that reached their upload URL.
func (f *fakeSlack) uploaded() []upload {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]upload(nil), f.uploads...)
}
