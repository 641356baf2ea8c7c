import type { HealthCheck, HealthCode } from '../../analysis/capture-health.js';
import { c } from '../document.js';
import type { Lang } from './index.js';

type Check = (check: HealthCheck) => string;

/** The capture-health section's sentences and the checksum sentences of F, in one language. */
export interface HealthMessages {
  readonly title: string;
  readonly intro: (ipVerified: number, transportVerified: number) => string;
  readonly problemNote: string;
  readonly head: readonly string[];
  readonly status: Readonly<Record<HealthCheck['status'], string>>;
  readonly name: Readonly<Record<HealthCode, string>>;
  readonly result: Readonly<Record<HealthCode, Check>>;
  readonly fix: Readonly<Record<HealthCode, string>>;
  readonly checksum: (layer: string, value: string, status: string, computed: string) => string;
  readonly checksumHow: string;
  readonly impaired: (changes: readonly { step: number; host: string; text: string }[]) => string;
}

const n = (value: number, lang: Lang): string => value.toLocaleString(lang === 'en' ? 'en' : 'pt-BR');
const hosts = (check: HealthCheck): string =>
  Object.entries(check.hosts)
    .map(([host, count]) => `${host} ${String(count)}`)
    .join(', ');

const en: HealthMessages = {
  title: 'Capture health: does the capture show what a wire carried?',
  intro: (ip, transport) =>
    `Before you trust the answers, check the capture itself. chatlab verified the IPv4 header checksum of ${n(ip, 'en')} frames and the TCP or UDP checksum of ${n(transport, 'en')} (RFC 791, RFC 9293, RFC 768, with the pseudo-header), measured every frame against the MTU, and looked for cuts, drops, copies and clocks that disagree. Wireshark shows the same with ${c('-o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE')}.`,
  problemNote:
    'This capture shows things no real network carries: read "Capture health" at the end before you use its frames in your answers.',
  head: ['check', 'result', 'frames', 'what it means and what to do'],
  status: { ok: 'ok', warning: 'problem', unknown: 'unknown' },
  name: {
    FRAME_OVER_MTU: 'No frame over the MTU',
    BAD_IP_CHECKSUM: 'IPv4 header checksums',
    BAD_TRANSPORT_CHECKSUM: 'TCP and UDP checksums',
    SNAPLEN_TRUNCATED: 'Whole frames (snap length)',
    KERNEL_DROPS: 'Packets dropped by the kernel',
    OFFLOADS_ON: 'Offloads off on every captured interface',
    HANDSHAKE_MISSING: 'Connections captured from their SYN',
    DUPLICATE_FRAMES: 'Each packet recorded once',
    CLOCKS_DISAGREE: "The hosts' clocks agree",
  },
  result: {
    FRAME_OVER_MTU: (k) =>
      k.count === 0
        ? `none: the largest IP packet has ${String(k.detail.largest)} bytes (MTU ${String(k.detail.mtu)})`
        : `${n(k.count, 'en')} frames carry IP packets over ${String(k.detail.mtu)} bytes, the largest ${String(k.detail.largest)} (${hosts(k)})`,
    BAD_IP_CHECKSUM: (k) =>
      k.count === 0
        ? `all ${n(Number(k.detail.verified), 'en')} correct`
        : `${n(k.count, 'en')} of ${n(Number(k.detail.verified), 'en')} incorrect (${hosts(k)})`,
    BAD_TRANSPORT_CHECKSUM: (k) =>
      k.count === 0
        ? `all ${n(Number(k.detail.verified), 'en')} correct`
        : `${n(k.count, 'en')} of ${n(Number(k.detail.verified), 'en')} incorrect (${hosts(k)})`,
    SNAPLEN_TRUNCATED: (k) =>
      k.count === 0 ? 'every frame whole' : `${n(k.count, 'en')} frames cut short (${hosts(k)})`,
    KERNEL_DROPS: (k) =>
      k.status === 'unknown'
        ? 'no run record with tcpdump\'s counts (tcpdump prints "N packets dropped by kernel" when it stops)'
        : k.count === 0
          ? `none, by the ${String(k.detail.sniffers)} sniffers' own count`
          : `${n(k.count, 'en')} packets lost (${hosts(k)})`,
    OFFLOADS_ON: (k) =>
      k.status === 'unknown'
        ? 'no run record from the lab (a capture taken elsewhere: the checks above tell)'
        : k.count === 0
          ? `off on all ${String(k.detail.sniffers)} hosts before they captured (ethtool -K eth0)`
          : `still on at ${Object.keys(k.hosts).join(', ')}: ethtool failed there`,
    HANDSHAKE_MISSING: (k) =>
      k.count === 0
        ? 'every TCP connection starts with its SYN'
        : `${n(k.count, 'en')} connections started before the capture (streams ${String(k.detail.streams)})`,
    DUPLICATE_FRAMES: (k) =>
      (k.count === 0
        ? 'no copies'
        : `${n(k.count, 'en')} frames recorded twice by the same host within ${String(k.detail.windowMs)} ms (${hosts(k)})`) +
      (typeof k.detail.declaredCopies === 'number' && k.detail.declaredCopies > 0
        ? `; ${n(k.detail.declaredCopies, 'en')} more at ${String(k.detail.declaredHosts)}, made by the declared duplication (real packets)`
        : ''),
    CLOCKS_DISAGREE: (k) =>
      k.count === 0
        ? `copies of a frame in different hosts' files are at most ${String(k.detail.maxSkewMs)} ms apart`
        : `copies of ${n(k.count, 'en')} frames are up to ${String(k.detail.maxSkewMs)} ms apart in different hosts' files`,
  },
  fix: {
    FRAME_OVER_MTU: `Segmentation offload (TSO, GSO, GRO): the kernel handed the capture unsegmented buffers of up to 64 KiB, which the network card (or, on a virtual interface, nobody) cuts into frames later. No wire carries them. Turn it off on the capturing interface before you capture: ${c('ethtool -K eth0 tso off gso off gro off')} (the chatlab lab does this on every host).`,
    BAD_IP_CHECKSUM:
      'A header checksum a router would reject: the bytes changed after the sender computed it, or the capture was taken before the card filled it in (checksum offload). Capture again with offloads off.',
    BAD_TRANSPORT_CHECKSUM: `Checksum offload: the sender leaves the TCP or UDP checksum to its network card, and the capture is taken before the card fills it in; on a virtual interface (veth, Docker) nothing ever does. Wireshark marks these "maybe caused by TCP checksum offload". ${c('ethtool -K eth0 tx off')} makes the kernel compute it; the chatlab lab does this on every host.`,
    SNAPLEN_TRUNCATED: `The capture kept only the first bytes of each frame. Capture whole frames: ${c('tcpdump -s 0')} (the default of tcpdump and Wireshark).`,
    KERNEL_DROPS: `The capture missed packets the host did see, so some answers may lack frames. Give tcpdump a bigger buffer (${c('-B 65536')}) or a lighter load, and capture again.`,
    OFFLOADS_ON: `The lab could not turn segmentation and checksum offloads off on these hosts' interfaces, so their frames may be over the MTU or carry checksums nobody filled in. The capture image needs ethtool and the sidecar NET_ADMIN (${c('npm run doctor')} checks both); rebuild with ${c('npm run lab:build')} and run again.`,
    HANDSHAKE_MISSING:
      'The three-way handshake of these connections is not in the capture: start capturing before the clients connect, so C can show SYN, SYN-ACK and ACK.',
    DUPLICATE_FRAMES: `The same bytes twice in one host's file, with the same IPv4 identification, are one packet seen twice, not a retransmission: a sender gives every packet it sends, retransmissions too, a new identification. Packets with identification 0 (SYN-ACKs, resets, unconnected UDP) can be sent twice with the same bytes, so they are not counted. Docker Desktop's bridge on macOS and Windows can do this (docker/for-mac #7363). ${c('editcap -D 10 in.pcap out.pcap')} removes the copies.`,
    CLOCKS_DISAGREE:
      "The hosts' clocks disagree, so times from different hosts' files cannot be compared: synchronise the clocks (NTP) or read times from one host's capture only.",
  },
  checksum: (layer, value, status, computed) =>
    status === 'correct'
      ? `The ${layer} checksum ${c(value)} is correct: chatlab computed ${c(computed)} from the bytes, as the receiver does.${value === computed ? '' : ` (${c(value)} and ${c(computed)} are the same number, zero, in one's complement arithmetic: Linux writes a computed 0 as 0xffff, and Wireshark warns about it citing RFC 1624.)`}`
      : status === 'incorrect'
        ? `The ${layer} checksum ${c(value)} is incorrect: the bytes give ${c(computed)} (see "Capture health").`
        : `The ${layer} checksum ${c(value)} cannot be verified from this capture.`,
  impaired: (changes) =>
    `The links were impaired on purpose during this run, between the senders' captures and the receivers' (loss as an nftables rule on the bridge, delay and the rest with tc netem): ${changes.map((ch) => `${ch.step === 0 ? 'declared for the whole run (the lab file or --impair)' : `from step ${String(ch.step)}`}, ${ch.host}'s link: ${ch.text === 'none' ? 'perfect again' : ch.text}`).join('; ')}. Expect retransmissions and gaps in what was sent through them.`,
  checksumHow:
    "How a checksum is computed (RFC 1071): add the header's 16-bit words in one's complement arithmetic (a carry out of the top bit is added back at the bottom) with the checksum field taken as zero, and write the complement of the sum. The receiver adds every word, checksum included, and must get 0xffff. IPv4's covers its own header only (TTL changes at each router, so each router computes it anew); TCP's and UDP's cover a pseudo-header (source and destination IP address, protocol, segment length) and the whole segment with its data, so a segment delivered to the wrong address or with damaged data is refused.",
};

const ptBR: HealthMessages = {
  title: 'Qualidade da captura: a captura mostra o que passou no fio?',
  intro: (ip, transport) =>
    `Antes de confiar nas respostas, verifique a própria captura. O chatlab conferiu o checksum do cabeçalho IPv4 de ${n(ip, 'pt-BR')} quadros e o checksum TCP ou UDP de ${n(transport, 'pt-BR')} (RFC 791, RFC 9293, RFC 768, com o pseudo-cabeçalho), mediu cada quadro contra a MTU e procurou cortes, descartes, cópias e relógios que discordam. O Wireshark mostra o mesmo com ${c('-o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE')}.`,
  problemNote:
    'Esta captura mostra coisas que nenhuma rede real transporta: leia "Qualidade da captura" no fim antes de usar os quadros dela nas suas respostas.',
  head: ['verificação', 'resultado', 'quadros', 'o que significa e o que fazer'],
  status: { ok: 'ok', warning: 'problema', unknown: 'desconhecido' },
  name: {
    FRAME_OVER_MTU: 'Nenhum quadro acima da MTU',
    BAD_IP_CHECKSUM: 'Checksums do cabeçalho IPv4',
    BAD_TRANSPORT_CHECKSUM: 'Checksums TCP e UDP',
    SNAPLEN_TRUNCATED: 'Quadros inteiros (snap length)',
    KERNEL_DROPS: 'Pacotes descartados pelo kernel',
    OFFLOADS_ON: 'Offloads desligados em toda interface capturada',
    HANDSHAKE_MISSING: 'Conexões capturadas desde o SYN',
    DUPLICATE_FRAMES: 'Cada pacote gravado uma vez',
    CLOCKS_DISAGREE: 'Os relógios dos hosts concordam',
  },
  result: {
    FRAME_OVER_MTU: (k) =>
      k.count === 0
        ? `nenhum: o maior pacote IP tem ${String(k.detail.largest)} bytes (MTU ${String(k.detail.mtu)})`
        : `${n(k.count, 'pt-BR')} quadros levam pacotes IP acima de ${String(k.detail.mtu)} bytes, o maior com ${String(k.detail.largest)} (${hosts(k)})`,
    BAD_IP_CHECKSUM: (k) =>
      k.count === 0
        ? `todos os ${n(Number(k.detail.verified), 'pt-BR')} corretos`
        : `${n(k.count, 'pt-BR')} de ${n(Number(k.detail.verified), 'pt-BR')} incorretos (${hosts(k)})`,
    BAD_TRANSPORT_CHECKSUM: (k) =>
      k.count === 0
        ? `todos os ${n(Number(k.detail.verified), 'pt-BR')} corretos`
        : `${n(k.count, 'pt-BR')} de ${n(Number(k.detail.verified), 'pt-BR')} incorretos (${hosts(k)})`,
    SNAPLEN_TRUNCATED: (k) =>
      k.count === 0 ? 'todos os quadros inteiros' : `${n(k.count, 'pt-BR')} quadros cortados (${hosts(k)})`,
    KERNEL_DROPS: (k) =>
      k.status === 'unknown'
        ? 'não há registro da execução com as contagens do tcpdump (o tcpdump escreve "N packets dropped by kernel" ao parar)'
        : k.count === 0
          ? `nenhum, pela contagem dos ${String(k.detail.sniffers)} capturadores`
          : `${n(k.count, 'pt-BR')} pacotes perdidos (${hosts(k)})`,
    OFFLOADS_ON: (k) =>
      k.status === 'unknown'
        ? 'não há registro da execução do laboratório (uma captura feita em outro lugar: as verificações acima dizem)'
        : k.count === 0
          ? `desligados nos ${String(k.detail.sniffers)} hosts antes de capturar (ethtool -K eth0)`
          : `ainda ligados em ${Object.keys(k.hosts).join(', ')}: o ethtool falhou lá`,
    HANDSHAKE_MISSING: (k) =>
      k.count === 0
        ? 'toda conexão TCP começa com o seu SYN'
        : `${n(k.count, 'pt-BR')} conexões começaram antes da captura (streams ${String(k.detail.streams)})`,
    DUPLICATE_FRAMES: (k) =>
      (k.count === 0
        ? 'nenhuma cópia'
        : `${n(k.count, 'pt-BR')} quadros gravados duas vezes pelo mesmo host em ${String(k.detail.windowMs)} ms (${hosts(k)})`) +
      (typeof k.detail.declaredCopies === 'number' && k.detail.declaredCopies > 0
        ? `; mais ${n(k.detail.declaredCopies, 'pt-BR')} em ${String(k.detail.declaredHosts)}, feitas pela duplicação declarada (pacotes reais)`
        : ''),
    CLOCKS_DISAGREE: (k) =>
      k.count === 0
        ? `as cópias de um quadro nos arquivos de hosts diferentes distam no máximo ${String(k.detail.maxSkewMs)} ms`
        : `as cópias de ${n(k.count, 'pt-BR')} quadros distam até ${String(k.detail.maxSkewMs)} ms nos arquivos de hosts diferentes`,
  },
  fix: {
    FRAME_OVER_MTU: `Offload de segmentação (TSO, GSO, GRO): o kernel entregou à captura buffers ainda não segmentados, de até 64 KiB, que a placa de rede (ou, numa interface virtual, ninguém) corta em quadros depois. Nenhum fio transporta isso. Desligue na interface capturada antes de capturar: ${c('ethtool -K eth0 tso off gso off gro off')} (o laboratório do chatlab faz isso em todos os hosts).`,
    BAD_IP_CHECKSUM:
      'Um checksum de cabeçalho que um roteador rejeitaria: os bytes mudaram depois de o remetente calculá-lo, ou a captura foi feita antes de a placa preenchê-lo (offload de checksum). Capture de novo com os offloads desligados.',
    BAD_TRANSPORT_CHECKSUM: `Offload de checksum: o remetente deixa o checksum TCP ou UDP para a placa de rede, e a captura é feita antes de a placa preenchê-lo; numa interface virtual (veth, Docker) ninguém o preenche. O Wireshark marca esses quadros com "maybe caused by TCP checksum offload". ${c('ethtool -K eth0 tx off')} faz o kernel calculá-lo; o laboratório do chatlab faz isso em todos os hosts.`,
    SNAPLEN_TRUNCATED: `A captura guardou só os primeiros bytes de cada quadro. Capture quadros inteiros: ${c('tcpdump -s 0')} (o padrão do tcpdump e do Wireshark).`,
    KERNEL_DROPS: `A captura perdeu pacotes que o host viu, então algumas respostas podem ficar sem quadros. Dê ao tcpdump um buffer maior (${c('-B 65536')}) ou uma carga menor e capture de novo.`,
    OFFLOADS_ON: `O laboratório não conseguiu desligar os offloads de segmentação e de checksum nas interfaces destes hosts, então seus quadros podem passar do MTU ou ter checksums que ninguém preencheu. A imagem de captura precisa do ethtool e o sidecar de NET_ADMIN (${c('npm run doctor')} verifica os dois); reconstrua com ${c('npm run lab:build')} e rode de novo.`,
    HANDSHAKE_MISSING:
      'O three-way handshake dessas conexões não está na captura: comece a capturar antes de os clientes se conectarem, para que C mostre SYN, SYN-ACK e ACK.',
    DUPLICATE_FRAMES: `Os mesmos bytes duas vezes no arquivo de um host, com a mesma identificação IPv4, são um pacote visto duas vezes, não uma retransmissão: o remetente dá a cada pacote que envia, retransmissões também, uma nova identificação. Pacotes com identificação 0 (SYN-ACKs, resets, UDP não conectado) podem ser enviados duas vezes com os mesmos bytes, então não são contados. A bridge do Docker Desktop no macOS e no Windows pode fazer isso (docker/for-mac #7363). ${c('editcap -D 10 entrada.pcap saida.pcap')} remove as cópias.`,
    CLOCKS_DISAGREE:
      'Os relógios dos hosts discordam, então tempos de arquivos de hosts diferentes não podem ser comparados: sincronize os relógios (NTP) ou leia os tempos da captura de um só host.',
  },
  checksum: (layer, value, status, computed) =>
    status === 'correct'
      ? `O checksum ${layer} ${c(value)} está correto: o chatlab calculou ${c(computed)} a partir dos bytes, como faz o receptor.${value === computed ? '' : ` (${c(value)} e ${c(computed)} são o mesmo número, zero, na aritmética de complemento de um: o Linux escreve um 0 calculado como 0xffff, e o Wireshark avisa citando a RFC 1624.)`}`
      : status === 'incorrect'
        ? `O checksum ${layer} ${c(value)} está incorreto: os bytes dão ${c(computed)} (veja "Qualidade da captura").`
        : `O checksum ${layer} ${c(value)} não pode ser verificado nesta captura.`,
  impaired: (changes) =>
    `Os enlaces foram degradados de propósito nesta execução, entre as capturas dos remetentes e as dos receptores (perda como regra nftables na bridge; atraso e o resto com tc netem): ${changes.map((ch) => `${ch.step === 0 ? 'declarado para a execução inteira (arquivo do lab ou --impair)' : `a partir do passo ${String(ch.step)}`}, enlace de ${ch.host}: ${ch.text === 'none' ? 'perfeito de novo' : ch.text}`).join('; ')}. Espere retransmissões e lacunas no que passou por eles.`,
  checksumHow:
    'Como um checksum é calculado (RFC 1071): some as palavras de 16 bits do cabeçalho em aritmética de complemento de um (o "vai um" que sai do bit mais alto volta a ser somado embaixo), com o campo de checksum valendo zero, e escreva o complemento da soma. O receptor soma todas as palavras, checksum incluído, e deve obter 0xffff. O do IPv4 cobre só o próprio cabeçalho (o TTL muda a cada roteador, que por isso o recalcula); os do TCP e do UDP cobrem um pseudo-cabeçalho (endereços IP de origem e destino, protocolo, tamanho do segmento) e o segmento inteiro com os dados, então um segmento entregue no endereço errado ou com dados danificados é recusado.',
};

export function healthMessagesFor(lang: string): HealthMessages {
  return lang === 'en' ? en : ptBR;
}
