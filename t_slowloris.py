import sys, os, time, socket, struct, threading; sys.path.insert(0,'/tmp/a18/fault')
from lt import *; from srv import *
PORT=42070
d=mkdata('/tmp/a18/fault/d_sl')
p=start(d,PORT)
a=Client(PORT); a.login('alice',PW)
hello=frame('Hello','ClientHello',struct.pack('<H',3)+s('x'))
socks=[]
for ip in range(2,40):
    for k in range(4):
        try:
            so=socket.socket(); so.bind(('127.0.0.%d'%ip,0)); so.settimeout(2); so.connect(('127.0.0.1',PORT))
            so.sendall(hello[:5]); socks.append(so)   # partial frame, never completed
        except OSError: pass
print('slowloris conns',len(socks))
t0=time.time()
# trickle one byte per second on each to keep them "alive"
ok=0
for i in range(8):
    for so in socks:
        try: so.send(hello[5+i:6+i])
        except OSError: pass
    time.sleep(1)
try:
    c=Client(PORT,host='127.0.0.1',timeout=5); c.login('bob',PW); print('legit login while slowloris: OK'); ok=1
except Exception as e: print('legit login while slowloris FAILED:',repr(e)[:300])
t=a.say('alice still chatting'); e=a.answer(t,5); print('logged-in client chat:',e and e['pt'])
# wait for frame deadline: count closed
time.sleep(25)
closed=0
for so in socks:
    try:
        so.settimeout(0.1); r=so.recv(4096)
        if r==b'' : closed+=1
        else:
            # read until close
            closed+= 1 if b'' == so.recv(4096) else 0
    except socket.timeout: pass
    except OSError: closed+=1
print('closed by frame deadline after ~33s:',closed,'of',len(socks))
print('server fds',len(os.listdir('/proc/%d/fd'%p.pid)))
for so in socks: so.close()
stop(p)
