"""A student-style chat client: sends each line typed on stdin with one send(), prints what arrives.

Usage: python3 -u client.py <server-ip> <port>

Type /nick <name> first, then /msg <name> <text>, /list, /quit, or any text to broadcast.
The end of stdin (Ctrl-D) closes the connection.
"""

import socket
import sys
import threading


def receive(sock):
    while True:
        data = sock.recv(1024)
        if not data:
            print("(server closed the connection)", flush=True)
            return
        print(data.decode("utf-8", errors="replace"), flush=True)


def main():
    if len(sys.argv) != 3 or not sys.argv[2].isdigit():
        sys.exit("usage: python3 -u client.py <server-ip> <port>   (for example: 10.77.20.10 5000)")
    sock = socket.create_connection((sys.argv[1], int(sys.argv[2])))
    reader = threading.Thread(target=receive, args=(sock,))
    reader.start()
    for line in sys.stdin:
        line = line.rstrip("\n")
        if line:
            sock.send(line.encode("utf-8"))
        if line == "/quit":
            break
    else:
        sock.shutdown(socket.SHUT_WR)
    reader.join()
    sock.close()


if __name__ == "__main__":
    main()
