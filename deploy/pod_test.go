package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	corev1 "k8s.io/api/core/v1"

	"edgerun/bindings/localpg/pgtest"
)

// imageEnv is what the distroless image's config sets; the container's
// environment is that and the Deployment's env, nothing of the host's.
var imageEnv = []string{
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"HOME=/home/nonroot",
	"SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
}

// The binary built the image's way, started as the Deployment's container
// (its args, its environment with the Secret naming a real PostgreSQL, its
// user, the project as the ConfigMap volume), becomes ready on the
// readiness probe, is live on the liveness and startup probes, answers a
// request through the Service's port with a query through the binding,
// holds its pool and the one LISTEN connection the sizing counts, and
// exits 0 on SIGTERM within the grace period.
//
// Two things differ from a cluster, and only these: the ports (a pod has
// its own network namespace; here the args' ports are mapped to free ones,
// and the probes follow the mapping) and the mount path (the volume is a
// directory of the test's, and the args' paths under it are mapped).
func TestThePodServes(t *testing.T) {
	m := loadManifests(t)
	c := m.container(t)
	binary := imageBinary(t)
	args, err := parseArgs(c.Args, serveFlags(t, binary))
	if err != nil {
		t.Fatal(err)
	}
	workerPort, adminPort := listenPorts(t, args)
	ports := map[int]int{workerPort: freePort(t), adminPort: freePort(t)}
	project := m.projectDir(t, c, args)
	mountPath := strings.TrimSuffix(args["c"], "/"+lastElem(args["c"]))

	dsn := pgtest.NewDatabase(t)
	tmp, err := os.MkdirTemp(scratch, "tmp-")
	if err == nil {
		err = os.Chmod(tmp, 0o777)
	}
	if err != nil {
		t.Fatal(err)
	}
	// The container runs the image's ENTRYPOINT with the Deployment's args
	// in place of its CMD.
	df, err := readDockerfile()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, append(df.final().entrypoint[1:], podArgs(c.Args, mountPath, project, ports)...)...)
	cmd.Dir = "/" // the image sets no WORKDIR
	cmd.Env = append(append(append([]string{}, imageEnv...), podEnv(t, c, &m.secret, map[string]string{"hyperdrive-url": dsn})...), "TMPDIR="+tmp)
	if os.Geteuid() == 0 {
		// As the pod's user (the image's nonroot), who may write nothing of
		// the project's.
		sc := m.deployment.Spec.Template.Spec.SecurityContext
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(*sc.RunAsUser), Gid: uint32(*sc.RunAsGroup)}}
	}
	var logs syncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			_ = cmd.Process.Kill()
			<-exited
		}
	})

	probe := func(p *corev1.Probe) string {
		port, err := containerPort(c, p.HTTPGet.Port)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("http://127.0.0.1:%d%s", ports[port], p.HTTPGet.Path)
	}
	// Ready: the readiness probe answers 200 (the kubelet's test).
	deadline := time.Now().Add(60 * time.Second)
	for {
		if code, _ := get(probe(c.ReadinessProbe)); code == 200 {
			break
		}
		select {
		case err := <-exited:
			stopped = true
			t.Fatalf("edgerun exited before it was ready: %v\n%s", err, logs.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the readiness probe never answered 200; logs:\n%s", logs.String())
		}
	}
	for _, p := range []struct {
		name  string
		probe *corev1.Probe
		body  string
	}{{"startup", c.StartupProbe, "ok\n"}, {"liveness", c.LivenessProbe, "ok\n"}, {"readiness", c.ReadinessProbe, "ready\n"}} {
		if code, body := get(probe(p.probe)); code != 200 || body != p.body {
			t.Errorf("%s probe %s: %d %q, want 200 %q", p.name, p.probe.HTTPGet.Path, code, body, p.body)
		}
	}

	// A request through the Service's port reaches the worker and the
	// database the Secret names.
	svcPort, err := containerPort(c, m.service.Spec.Ports[0].TargetPort)
	if err != nil {
		t.Fatal(err)
	}
	code, body := get(fmt.Sprintf("http://127.0.0.1:%d/", ports[svcPort]))
	var answer struct {
		Hello    string `json:"hello"`
		Database string `json:"database"`
		Answer   int    `json:"answer"`
	}
	u, _ := url.Parse(dsn)
	if code != 200 || json.Unmarshal([]byte(body), &answer) != nil || answer.Database != strings.TrimPrefix(u.Path, "/") || answer.Answer != 42 {
		t.Fatalf("GET / = %d %s, want 200 with database %q and answer 42; logs:\n%s", code, body, strings.TrimPrefix(u.Path, "/"), logs.String())
	}

	// /health turns healthy once the cache listens for other pods' writes.
	admin := ports[adminPort]
	var health struct {
		Status string `json:"status"`
	}
	for deadline := time.Now().Add(15 * time.Second); ; {
		code, body := get(fmt.Sprintf("http://127.0.0.1:%d/health", admin))
		if code == 200 && json.Unmarshal([]byte(body), &health) == nil && health.Status == "healthy" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/health = %d %s, want healthy", code, body)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// The pod's connections: at most the pool, plus the LISTEN connection
	// the sizing counts.
	cfg, _, err := loadConfig(project+"/"+lastElem(args["c"]), cmd.Env)
	if err != nil {
		t.Fatal(err)
	}
	conns := connections(t, dsn)
	if conns["edgerun cache invalidation"] != 1 {
		t.Errorf("connections by application_name %v: want one LISTEN connection (notify_channel)", conns)
	}
	if conns["edgerun"] < 1 || conns["edgerun"] > cfg.Hyperdrive[0].OriginConnectionLimit {
		t.Errorf("pooled connections %d, want 1 to origin_connection_limit %d", conns["edgerun"], cfg.Hyperdrive[0].OriginConnectionLimit)
	}

	// SIGTERM: drained and gone within the grace period, exit status 0.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	grace := time.Duration(*m.deployment.Spec.Template.Spec.TerminationGracePeriodSeconds) * time.Second
	select {
	case err := <-exited:
		stopped = true
		if err != nil {
			t.Fatalf("edgerun exited with %v on SIGTERM; logs:\n%s", err, logs.String())
		}
	case <-time.After(grace):
		t.Fatalf("edgerun still running %s after SIGTERM (terminationGracePeriodSeconds); logs:\n%s", grace, logs.String())
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("edgerun wrote %d files to TMPDIR, which a read-only root filesystem does not have", len(left))
	}
	if p, ok := u.User.Password(); !ok || p == "" {
		t.Errorf("the test database's URL has no password: the logs cannot be checked for it")
	} else if strings.Contains(logs.String(), p) {
		t.Error("the connection string's password is in the logs")
	}
	t.Logf("the pod's log:\n%s", logs.String())
}

// podArgs is the container's args with the listen ports mapped and the
// paths under the volume's mountPath moved to its directory here.
func podArgs(args []string, mountPath, dir string, ports map[int]int) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if i > 0 {
			switch strings.TrimLeft(args[i-1], "-") {
			case "port":
				p, _ := strconv.Atoi(a)
				a = strconv.Itoa(ports[p])
			case "admin":
				host, p, _ := strings.Cut(a, ":")
				n, _ := strconv.Atoi(p)
				a = net.JoinHostPort(host, strconv.Itoa(ports[n]))
			}
		}
		if rest, ok := strings.CutPrefix(a, mountPath+"/"); ok {
			a = dir + "/" + rest
		}
		out[i] = a
	}
	return out
}

// connections counts the database's sessions by application_name.
func connections(t *testing.T, dsn string) map[string]int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT application_name, count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			t.Fatal(err)
		}
		out[name] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func get(u string) (int, string) {
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(u)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func lastElem(p string) string { return p[strings.LastIndex(p, "/")+1:] }

// syncBuffer collects a child's output while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
