"""A student-style chat server: text commands over TCP, no framing, one send() per message.

Usage: python3 server.py <port>

Each recv() is taken as one command (like the seeds' recv(1024)), and every reply is one send(), so
replies sent close together can reach a client glued into one segment. Commands:
  /nick <name>         choose a nickname (required before anything else)
  /msg <name> <text>   private message to one user
  /list                who is online
  /quit                leave
  anything else        broadcast to everyone (the last 5 are replayed to whoever joins)
"""

import socket
import sys
import threading

VERSION = "pychat-server 1.0"

clients = {}  # nick -> socket
history = []  # the last broadcasts, replayed to whoever joins
lock = threading.Lock()


def send(sock, text):
    try:
        sock.send(text.encode("utf-8"))
    except OSError:
        pass


def broadcast(text, exclude=None):
    with lock:
        targets = [s for n, s in clients.items() if n != exclude]
    for sock in targets:
        send(sock, text)


def handle(sock, addr):
    nick = None
    send(sock, f"Welcome to {VERSION}. Choose a name with /nick <name>.")
    while True:
        try:
            data = sock.recv(1024)
        except OSError:
            break
        if not data:
            break
        text = data.decode("utf-8", errors="replace").strip()
        print(f"{addr[0]}:{addr[1]} {nick or '-'}: {text}", flush=True)
        if text.startswith("/nick "):
            wanted = text[6:].strip()
            with lock:
                taken = wanted in clients or not wanted
                if not taken:
                    if nick:
                        del clients[nick]
                    clients[wanted] = sock
            if taken:
                send(sock, f"ERROR name {wanted!r} is taken or empty")
                continue
            old, nick = nick, wanted
            send(sock, f"OK you are {nick}")
            with lock:
                replay = list(history) if old is None else []
            for line in replay:  # one send() each, straight after the OK: they travel glued together
                send(sock, f"(history) {line}")
            broadcast(f"* {old} is now {nick}" if old else f"* {nick} joined", exclude=nick)
        elif nick is None:
            send(sock, "ERROR choose a name first: /nick <name>")
        elif text.startswith("/msg "):
            parts = text.split(" ", 2)
            with lock:
                target = clients.get(parts[1]) if len(parts) == 3 else None
            if target is None:
                send(sock, "ERROR usage: /msg <name> <text> to someone online")
            else:
                send(target, f"[private] {nick}: {parts[2]}")
                send(sock, f"OK sent to {parts[1]}")
        elif text == "/list":
            with lock:
                names = ", ".join(sorted(clients))
            send(sock, f"ONLINE {names}")
        elif text == "/quit":
            send(sock, "BYE")
            break
        else:
            with lock:
                history[:] = (history + [f"{nick}: {text}"])[-5:]
            broadcast(f"{nick}: {text}", exclude=nick)
    if nick:
        with lock:
            clients.pop(nick, None)
        broadcast(f"* {nick} left")
    sock.close()


def main():
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        sys.exit("usage: python3 server.py <port>   (for example: python3 server.py 5000)")
    port = int(sys.argv[1])
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("0.0.0.0", port))
    server.listen()
    print(f"{VERSION} listening on port {port}", flush=True)
    while True:
        sock, addr = server.accept()
        print(f"connection from {addr[0]}:{addr[1]}", flush=True)
        threading.Thread(target=handle, args=(sock, addr), daemon=True).start()


if __name__ == "__main__":
    main()
