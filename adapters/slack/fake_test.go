package slack

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
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

	// When set, auth.test and apps.connections.open accept only these
	// tokens, and auth.test lists scopes in X-OAuth-Scopes.
	botToken, appToken, scopes string

	// The channel's people, for conversations.info and .members.
	members      []string        // conversations.members, in pages of pageSize
	pageSize     int             // 0: one page
	isMember     bool            // conversations.info says the bot is a member
	noScope      bool            // conversations.info answers missing_scope
	bots         map[string]bool // users.info says these users are bots
	notInChannel map[string]bool // chat.postEphemeral answers user_not_in_channel for them
	failViews    bool            // views.open answers expired_trigger_id

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
	Body   []byte // a JSON request's body (views.open)
}

func newFakeSlack(t *testing.T) *fakeSlack {
	f := &fakeSlack{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id, ok := strings.CutPrefix(r.URL.Path, "/upload/"); ok {
			f.receive(w, r, id)
			return
		}
		var body []byte
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			body, _ = io.ReadAll(r.Body)
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
		f.calls = append(f.calls, apiCall{Method: method, Form: r.PostForm, Body: body})
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		token := r.PostForm.Get("token")
		if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			token = bearer
		}
		f.mu.Lock()
		botToken, appToken, scopes := f.botToken, f.appToken, f.scopes
		f.mu.Unlock()
		switch method {
		case "auth.test":
			if botToken != "" && token != botToken {
				fmt.Fprint(w, `{"ok":false,"error":"invalid_auth"}`)
				return
			}
			if scopes != "" {
				w.Header().Set("X-OAuth-Scopes", scopes)
			}
			fmt.Fprint(w, `{"ok":true,"user_id":"UBOT","team":"raad","user":"waardenbot"}`)
		case "chat.postMessage":
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1700000000.000100"}`, r.PostForm.Get("channel"))
		case "apps.connections.open":
			if appToken != "" && token != appToken {
				if strings.HasPrefix(token, "xoxb-") {
					fmt.Fprint(w, `{"ok":false,"error":"not_allowed_token_type"}`)
				} else {
					fmt.Fprint(w, `{"ok":false,"error":"invalid_auth"}`)
				}
				return
			}
			f.mu.Lock()
			fmt.Fprintf(w, `{"ok":true,"url":%q}`, f.socketURL)
			f.mu.Unlock()
		case "users.info":
			f.mu.Lock()
			admin, isBot := f.admins[r.PostForm.Get("user")], f.bots[r.PostForm.Get("user")]
			f.mu.Unlock()
			fmt.Fprintf(w, `{"ok":true,"user":{"id":%q,"is_admin":%t,"is_bot":%t}}`, r.PostForm.Get("user"), admin, isBot)
		case "chat.postEphemeral":
			f.mu.Lock()
			out := f.notInChannel[r.PostForm.Get("user")]
			f.mu.Unlock()
			if out {
				fmt.Fprint(w, `{"ok":false,"error":"user_not_in_channel"}`)
				return
			}
			fmt.Fprint(w, `{"ok":true,"message_ts":"1700000000.000200"}`)
		case "conversations.info":
			f.mu.Lock()
			defer f.mu.Unlock()
			if f.noScope {
				fmt.Fprint(w, `{"ok":false,"error":"missing_scope","needed":"channels:read","provided":"commands,chat:write"}`)
				return
			}
			// Shaped like Slack's documented example, with include_num_members.
			fmt.Fprintf(w, `{"ok":true,"channel":{"id":%q,"name":"raad","is_channel":true,"is_member":%t,"num_members":%d}}`,
				r.PostForm.Get("channel"), f.isMember, len(f.members))
		case "conversations.members":
			f.mu.Lock()
			defer f.mu.Unlock()
			start, _ := strconv.Atoi(r.PostForm.Get("cursor"))
			end := len(f.members)
			if f.pageSize > 0 {
				end = min(start+f.pageSize, end)
			}
			next := ""
			if end < len(f.members) {
				next = strconv.Itoa(end)
			}
			ids, _ := json.Marshal(f.members[start:end])
			fmt.Fprintf(w, `{"ok":true,"members":%s,"response_metadata":{"next_cursor":%q}}`, ids, next)
		case "conversations.open":
			fmt.Fprintf(w, `{"ok":true,"channel":{"id":"D%s"}}`, r.PostForm.Get("users"))
		case "views.open":
			f.mu.Lock()
			fail := f.failViews
			f.mu.Unlock()
			if fail {
				fmt.Fprint(w, `{"ok":false,"error":"expired_trigger_id"}`)
				return
			}
			fmt.Fprint(w, `{"ok":true,"view":{"id":"VNHU13V36","type":"modal"}}`)
		case "files.getUploadURLExternal":
			id := fmt.Sprintf("F%d", len(f.sent(method)))
			fmt.Fprintf(w, `{"ok":true,"upload_url":%q,"file_id":%q}`, f.URL+"/upload/"+id, id)
		case "files.completeUploadExternal":
			fmt.Fprintf(w, `{"ok":true,"files":%s}`, r.PostForm.Get("files"))
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
