#!/bin/sh
# SPDX-License-Identifier: MIT
# mkcert.sh DIR: a throw-away CA (DIR/ca.pem) and a server certificate it signed for
# 127.0.0.1, ::1 and localhost (DIR/server.pem, DIR/server.key), plus a second CA
# (DIR/other-ca.pem) that signed nothing, for "unknown CA" tests. Needs the openssl CLI.
set -eu
d=$1
mkdir -p "$d"
cd "$d"
q() { "$@" >/dev/null 2>&1; }
q openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj "/CN=wslctl test CA" -keyout ca.key -out ca.pem
q openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj "/CN=wslctl other CA" -keyout other-ca.key -out other-ca.pem
q openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-subj "/CN=127.0.0.1" -keyout server.key -out server.csr
printf 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nbasicConstraints=CA:FALSE\n' >ext.cnf
q openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
	-extfile ext.cnf -out server.pem
