// Package deploy holds edgerun's deployment files and their tests: the
// repository's Dockerfile and .dockerignore (one directory up), and the
// Kubernetes manifests in this directory with the example project they
// serve (project/).
//
// There is no Go code to import here. No Docker engine or cluster runs where
// the tests run, so they check the files against the real thing they
// describe instead: the Dockerfile's own build commands are run on the
// context its .dockerignore leaves (judged by Docker's pattern matcher);
// the manifests are decoded strictly into Kubernetes' API types, their
// flags checked against `edgerun serve --help` and their environment
// against the configuration loader; and the binary built the image's way is
// started as the Deployment's container would be (its args, its env with
// the Secret's connection string pointing at a real PostgreSQL, its user,
// the project laid out as the kubelet lays out a ConfigMap volume) and
// probed on the Deployment's own probe paths and ports.
package deploy
