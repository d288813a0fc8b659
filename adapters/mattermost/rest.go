package mattermost

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// The adapter speaks Mattermost's REST API (v4) with a client of its own
// rather than Mattermost's model.Client4: the requests and answers are
// small structs holding only the fields the adapter sends or reads. A
// type of Mattermost's model package that goes through encoding/json
// keeps all of its methods in the binary, and what they reach: a
// *model.PostPatch alone brought Mattermost's whole markdown parser and
// its HTML entity table (170 KB of heap at every start).

// client sends requests to the server's REST API as the bot.
type client struct {
	url   string // the server, without a trailing slash
	token string // the bot's personal access token
	http  *http.Client
}

// apiError is the server's refusal of a request: the HTTP status, its
// headers (Retry-After) and the error Mattermost puts in the body.
type apiError struct {
	Status  int         `json:"-"`
	Header  http.Header `json:"-"`
	ID      string      `json:"id"`
	Message string      `json:"message"`
	Detail  string      `json:"detailed_error"`
}

// Error is the server's message and detail, as Mattermost's own client
// shows them.
func (e *apiError) Error() string {
	msg := e.Message
	if e.Detail != "" {
		if msg != "" {
			msg += ", "
		}
		msg += e.Detail
	}
	if msg == "" {
		msg = fmt.Sprintf("%d %s", e.Status, http.StatusText(e.Status))
	}
	return msg
}

// httpStatus is the HTTP status of a refusal by the server, or 0 when err
// is no answer from it (or nil).
func httpStatus(err error) int {
	var e *apiError
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 64 << 10

// do sends a request to path (under /api/v4) with in as its JSON body (nil:
// none) and decodes a successful answer into out (nil: ignored). It
// returns the answer's headers.
func (c *client) do(ctx context.Context, method, path string, in, out any) (http.Header, error) {
	var body io.Reader
	contentType := ""
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, err
		}
		body, contentType = bytes.NewReader(b), "application/json"
	}
	return c.send(ctx, method, path, contentType, body, out)
}

// send is do with a body that is already encoded.
func (c *client) send(ctx context.Context, method, path, contentType string, body io.Reader, out any) (http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.url+"/api/v4"+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.Header, refusal(resp)
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			return resp.Header, fmt.Errorf("%s %s: unreadable answer: %w", method, path, err)
		}
	}
	io.Copy(io.Discard, resp.Body) // lets the connection be reused
	return resp.Header, nil
}

// refusal reads Mattermost's error from a non-2xx answer.
func refusal(resp *http.Response) error {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := &apiError{Status: resp.StatusCode, Header: resp.Header}
	if json.Unmarshal(raw, e) != nil {
		// Not Mattermost's JSON: a proxy's page, or the plain "http:
		// request body too large" of an upload over the size limit.
		e.Message = strings.TrimSpace(string(raw))
		if len(e.Message) > 200 {
			e.Message = e.Message[:200] + "…"
		}
	}
	return e
}

// path joins escaped path segments: path("users", id) is "/users/ID".
func path(segments ...string) string {
	var sb strings.Builder
	for _, s := range segments {
		sb.WriteString("/")
		sb.WriteString(url.PathEscape(s))
	}
	return sb.String()
}

// post is a Mattermost post as the adapter writes and reads it.
type post struct {
	Id        string         `json:"id,omitempty"`
	ChannelId string         `json:"channel_id,omitempty"`
	RootId    string         `json:"root_id,omitempty"`
	UserId    string         `json:"user_id,omitempty"`
	Message   string         `json:"message"`
	Type      string         `json:"type,omitempty"`
	Props     map[string]any `json:"props,omitempty"`
	FileIds   []string       `json:"file_ids,omitempty"`
}

// attachment is a message attachment (props.attachments) as a poll post
// has it.
type attachment struct {
	Fallback string        `json:"fallback,omitempty"`
	Color    string        `json:"color,omitempty"`
	Text     string        `json:"text,omitempty"`
	Actions  []*postAction `json:"actions,omitempty"`
}

// postAction is an attachment's button.
type postAction struct {
	Id          string       `json:"id"`
	Type        string       `json:"type"`
	Name        string       `json:"name"`
	Style       string       `json:"style,omitempty"`
	Integration *integration `json:"integration,omitempty"`
}

// integration is where Mattermost posts a button's click, and what with.
type integration struct {
	URL     string         `json:"url"`
	Context map[string]any `json:"context,omitempty"`
}

// createPost posts p as the bot and returns the post the server made.
func (c *client) createPost(ctx context.Context, p *post) (*post, error) {
	var got post
	_, err := c.do(ctx, http.MethodPost, "/posts", p, &got)
	return &got, err
}

// createEphemeral shows p to user alone (needs the system admin role).
func (c *client) createEphemeral(ctx context.Context, user string, p *post) error {
	body := struct {
		UserID string `json:"user_id"`
		Post   *post  `json:"post"`
	}{user, p}
	_, err := c.do(ctx, http.MethodPost, "/posts/ephemeral", body, nil)
	return err
}

// patchProps replaces the props of the post id, and nothing else.
func (c *client) patchProps(ctx context.Context, id string, props map[string]any) error {
	body := struct {
		Props map[string]any `json:"props"`
	}{props}
	_, err := c.do(ctx, http.MethodPut, path("posts", id, "patch"), body, nil)
	return err
}
