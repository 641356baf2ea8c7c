import { b, c } from '../document.js';
import type { CommandKey } from '../tshark-commands.js';
import { type Messages, transportName } from './en.js';

const n = (value: number): string => value.toLocaleString('pt-BR');
const list = (items: readonly string[]): string =>
  items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} e ${items[items.length - 1] ?? ''}`;

/** Todas as frases do relatório em português do Brasil (as mesmas chaves de `en.ts`). */
export const ptBR: Messages = {
  lang: 'pt-BR',
  n,
  list,
  title: 'Relatório do laboratório chatlab: o que as capturas mostram',
  intro: (run, frames, merged, hosts, duplicates) =>
    `Este relatório responde às questões A a F do roteiro usando apenas as capturas de ${c(run)}. As capturas dos ${n(hosts)} hosts foram combinadas em ${c(merged)}: ${n(frames)} quadros em ordem de tempo, em que um quadro capturado tanto pelo remetente quanto pelo destinatário conta uma só vez (${n(duplicates)} cópias assim foram unidas). Os números de quadro abaixo são os desse arquivo, exatamente como o Wireshark os numera ao abri-lo. Cada resposta mostra os quadros de onde foi tirada; a última seção lista os comandos ${c('tshark')} que mostram os mesmos fatos.`,
  scenario: (name, from, to) =>
    `Cenário ${b(name)}${from === null ? '' : `, executado de ${from}`}${to === null ? '' : ` a ${to}`}.`,
  capturesHead: ['host', 'arquivo de captura', 'quadros', 'tipo de enlace'],
  linkType: (type) =>
    type === 1
      ? 'Ethernet II (EN10MB)'
      : type === 276
        ? 'Linux cooked v2 (sem cabeçalho Ethernet)'
        : `tipo de enlace ${type}`,
  warningsTitle: 'Avisos',
  summaryTitle: 'Respostas em resumo',
  summaryHead: ['questão', 'resposta', 'evidência'],
  frame: (f) => (f === null ? '(não capturado)' : `quadro ${f}`),
  frames: (fs) =>
    fs.length === 1
      ? `quadro ${fs[0] ?? ''}`
      : `quadros ${fs.slice(0, 6).join(', ')}${fs.length > 6 ? ', …' : ''}`,
  bytesRange: (offset, length) => (length === 0 ? 'nenhum byte' : `bytes ${offset}–${offset + length - 1}`),
  seconds: 's',
  footer: (generator, at) =>
    `Gerado por ${generator} em ${at}. Respostas em formato para máquina: answers.json.`,

  // A
  aTitle: 'A. A aplicação e sua versão no servidor',
  aQuestion: 'Identificação da versão ou tipo da aplicação no servidor que está executando.',
  aAnswer: (app, version, protocol) =>
    `O servidor executa ${b(app)}, versão ${b(version)}${protocol === null ? '' : `, falando o protocolo ${b(protocol)}`}.`,
  aForeignEvidence: {
    'irc-numeric': (frame, client, offset) =>
      `Encontrado na carga útil do ${b(`quadro ${frame}`)}: as boas-vindas do servidor a ${client}, os numéricos IRC 002 RPL_YOURHOST ("running version ...") e 004 RPL_MYINFO da RFC 2812 §5.1, que todo servidor IRC envia depois que o cliente se registra (NICK, USER).${offset === null ? '' : ` A linha começa no byte ${offset} do quadro.`}`,
    'http-header': (frame, client, offset) =>
      `Encontrado na carga útil do ${b(`quadro ${frame}`)} (a conexão de ${client}): o cabeçalho HTTP Server de uma resposta (RFC 9110 §10.2.4), onde um servidor HTTP se identifica.${offset === null ? '' : ` O cabeçalho começa no byte ${offset} do quadro.`}`,
    banner: (frame, client, offset) =>
      `Encontrado na carga útil do ${b(`quadro ${frame}`)}: o banner que o servidor envia a ${client} assim que a conexão abre (servidores SSH, SMTP e FTP se identificam ali).${offset === null ? '' : ` Ele começa no byte ${offset} do quadro.`}`,
    'greeting-text': (frame, client, offset) =>
      `Encontrado na carga útil do ${b(`quadro ${frame}`)}: as próprias palavras do servidor a ${client} nomeiam um programa e uma versão. É o nome que a aplicação dá a si mesma; confira com o seu código.${offset === null ? '' : ` O texto começa no byte ${offset} do quadro.`}`,
  },
  aNotNamed: (transport, port) =>
    `A captura não nomeia a aplicação: um ${b(`protocolo de texto sobre ${transport}${port === null ? '' : ` ${port}`}`)} cuja carga útil não traz banner, cabeçalho nem versão.`,
  aClientNamed: (app, version, frame) =>
    `O cliente se identifica: ${b(app)}${version === null ? '' : `, versão ${b(version)}`}, no cabeçalho HTTP User-Agent do ${b(`quadro ${frame}`)} (RFC 9110 §10.1.5). É o programa do cliente que enviou a requisição, não o do servidor, por isso não responde A.`,
  aNotNamedHow:
    'O que você pode escrever: a aplicação é sua (diga o nome e a versão que o seu código conhece) e a captura mostra só a porta e o que ela envia, pois nenhum cabeçalho das camadas de baixo nomeia um programa. Onde olhar: os primeiros bytes que o servidor envia em cada conexão (seção E, a conversa) e a saída do seu servidor ao iniciar. Para a captura responder A, faça o servidor saudar cada cliente com nome e versão, como o `* HELLO` do chatlab e o numérico 002 do IRC.',
  cConversationsTitle:
    'Todas as conversas da captura (TCP e UDP), como tshark -z conv,tcp e conv,udp as listam',
  cConversationsHead: [
    'transporte',
    'de (quem conectou)',
    'para (quem escutava)',
    'primeiro quadro',
    'quadros',
    'bytes →, ←',
    'o que é',
  ],
  cConversationChat: 'o chat (um cliente e o servidor)',
  cConversationPeer:
    'entre dois clientes, sem passar pelo servidor (uma transferência direta como o DCC do IRC)',
  cConversationOther: 'não é o chat',
  eAnswerForeign: (messages, segments, framing) =>
    `${b('Mostrado, não julgado.')} ${n(messages)} mensagens em ${n(segments)} segmentos TCP com carga útil, cortadas ${framing}. O docs/PROTOCOL.md do chatlab não descreve esta aplicação, então nada é julgado por ele: compare o que você vê com o que a sua aplicação deveria enviar.`,
  eFraming: {
    irc: 'como linhas IRC (RFC 2812 §2.3.1: um :prefixo opcional, um comando ou numérico de três dígitos, parâmetros, um parâmetro final depois de " :", CR LF no fim)',
    line: 'a cada quebra de linha (LF)',
    segment: 'uma mensagem por segmento TCP, como as vê um programa que toma um recv() por uma mensagem',
    length: 'por um comprimento de 4 bytes (big-endian) antes de cada mensagem',
  },
  eForeignHow: (framing, from) =>
    `Como foi lido: os bytes de cada conexão foram postos de volta em ordem, por sentido (remontagem TCP), e cortados ${framing}. O enquadramento veio de ${from}; escolha outro com ${c('--framing line|segment|length|irc|chatlab')}. Caracteres de controle aparecem como \\xNN (\\x0d\\x0a é CR LF; \\x01 delimita um pedido CTCP como DCC SEND).`,
  eFramingFrom: {
    option: 'a opção --framing',
    'run.json': 'o lab.yml do laboratório (run.json lab.app.framing)',
    capture: 'a própria captura (nenhum arquivo de laboratório dizia)',
  },
  eProtocolOk: (messages, file) =>
    `${b('Sim.')} Todas as ${n(messages)} mensagens casam com os padrões da sua descrição de protocolo ${c(file)}.`,
  eProtocolProblems: (messages, problems, file) =>
    `${b(`Não inteiramente: ${n(problems)} de ${n(messages)} mensagens`)} não casam com nenhum padrão da sua descrição de protocolo ${c(file)} (abaixo). Mensagens grudadas num só segmento, ou uma cortada em duas, também aparecem aqui.`,
  eKindText: (count, commands) => `${n(count)} mensagens${commands === '' ? '' : ` (${commands})`}`,
  eConversationTitle: (stream, client, server) =>
    `Fluxo TCP ${stream}: ${client} → ${server}, remontado: os dois sentidos na ordem em que viajaram, uma linha por segmento TCP`,
  eSegmentsHeadForeign: [
    'quadro',
    'tempo (s)',
    'de → para',
    'portas',
    'bytes (tcp.len)',
    'carga útil (texto)',
    'carga útil (hex)',
  ],
  aMissing: 'Nenhuma saudação do servidor foi capturada, então a captura não nomeia a aplicação.',
  aOverUdp: (first, port) =>
    `Nenhuma saudação do servidor foi capturada nos datagramas UDP do chat, então a captura não nomeia a aplicação. No UDP o servidor saúda cada cliente no primeiro datagrama que lhe envia, \`* HELLO {"app":...,"version":...}\` (docs/PROTOCOL.md §10); um datagrama que a rede perdeu não é reenviado${first === null ? '' : ` (o primeiro datagrama do chat é o ${b(`quadro ${first}`)})`}. ${c(`tshark -r captures/merged.pcapng -Y 'udp.srcport == ${port ?? 3300}'`)} lista o que o servidor enviou.`,
  eOverUdp: (datagrams) =>
    `Os ${n(datagrams)} datagramas UDP do chat também são decodificados aqui, cada um com quadros inteiros (docs/PROTOCOL.md §10). Eles não têm segmentos nem números de sequência: um datagrama que a rede perdeu não deixa lacuna, sua mensagem simplesmente não está lá.`,
  aEvidence: (frame, client, offset) =>
    `Encontrado na carga útil do ${b(`quadro ${frame}`)}: a primeira mensagem que o servidor enviou a ${client} nessa conexão, a sua saudação (docs/PROTOCOL.md §3).${offset === null ? '' : ` A saudação começa no byte ${offset} do quadro, logo depois dos cabeçalhos Ethernet, IPv4 e TCP.`}`,
  aWhy: 'Nenhum campo dos cabeçalhos Ethernet, IP ou TCP diz qual programa enviou um quadro, nem em que versão: os cabeçalhos levam apenas endereços, portas e informações de entrega. Só a própria aplicação pode se identificar, nos seus próprios dados; por isso a resposta está na carga útil.',

  // B
  bTitle: 'B. Endereços IP dos clientes e do servidor',
  bQuestion: 'Qual é o endereço IP dos clientes? Qual o endereço IP do servidor?',
  bAnswer: (server, clients) =>
    `Servidor ${b(server)}; ${clients.length === 1 ? 'cliente' : 'clientes'} ${list(clients)}.`,
  bHead: ['host', 'papel', 'endereço IPv4', 'endereço MAC', 'primeiro quadro que enviou'],
  roleServer: 'servidor',
  roleClient: 'cliente',
  roleOther: 'outro',
  bHow: 'Cada endereço foi lido no cabeçalho IPv4 de um quadro enviado pelo host: o Endereço de Origem (Source Address) fica nos bytes 26–29 do quadro e o Endereço de Destino nos bytes 30–33. O endereço MAC é o endereço de origem Ethernet (bytes 6–11). Cada host é uma máquina à parte (no laboratório um contêiner, fora dele um PC), com sua própria interface de rede, por isso cada um tem seu próprio IP e seu próprio MAC.',
  bShared: (ip) =>
    `Cliente e servidor compartilham o endereço ${c(ip)}: rodaram no mesmo computador, então a captura não os distingue pelo endereço, só pela porta.`,

  // C
  cTitle: 'C. O protocolo de transporte: TCP ou UDP?',
  cQuestion: 'Qual o protocolo de transporte usado pelos clientes e pelo servidor? TCP ou UDP?',
  cAnswer: (chatFrames) =>
    `${b('TCP')}. Todos os ${n(chatFrames)} quadros entre os clientes e a porta do chat no servidor são segmentos TCP.`,
  cAnswerUdp: (datagrams) =>
    `${b('UDP')}. Todos os ${n(datagrams)} quadros entre os clientes e a porta do chat no servidor são datagramas UDP, com um quadro do chat em cada um (docs/PROTOCOL.md §10).`,
  cAnswerBoth: (segments, datagrams) =>
    `${b('TCP e UDP')}, na mesma porta: ${n(segments)} quadros são segmentos TCP das conexões dos clientes e ${n(datagrams)} são datagramas UDP (o servidor atende pelos dois; docs/PROTOCOL.md §10). As duas partes da conversa se distinguem pelo campo Protocolo do IPv4.`,
  cHowUdp: (first) =>
    `Um datagrama UDP${first === null ? '' : ` (o primeiro para a porta do chat está no ${frameOr(first)})`} tem o campo Protocolo 17 e um cabeçalho de 8 bytes: porta de origem, porta de destino, tamanho e checksum, nada mais. Nenhuma conexão é aberta (não há aperto de mão), nada é numerado nem confirmado, e um datagrama que a rede descarta se perde, a não ser que a aplicação o envie de novo: veja "UDP: o que o receptor nunca recebeu" abaixo para os que esta captura perdeu.`,
  cOtherChat: 'Os quadros que não são do chat são a rede cuidando de si mesma.',
  cNoChat: 'Nenhuma conexão do chat foi capturada.',
  cHead: ['protocolo', 'quadros', 'o que é'],
  cWhat: {
    tcp: 'segmentos TCP: as conexões do chat (estabelecimento, dados, confirmações, encerramento)',
    udp: 'datagramas UDP',
    arp: 'ARP: "quem tem este endereço IP?" antes do primeiro quadro para um vizinho',
    icmpv6: 'ICMPv6: descoberta de vizinhos e relatórios de multicast do IPv6, enviados pelo próprio sistema',
    icmp: 'ICMP: mensagens de controle (ping, erros)',
    ipv6: 'outros pacotes IPv6',
    ipv4: 'outros pacotes IPv4',
    other: 'outros quadros',
  },
  cHow: (handshake) =>
    `Como saber: em todo cabeçalho IPv4, o campo Protocolo (byte 23 do quadro) vale 6 para TCP (seria 17 para UDP). O TCP é orientado a conexão: cada conexão começa com o aperto de mão em três vias (three-way handshake)${handshake.length === 3 ? ` (na primeira conexão: SYN no ${frameOr(handshake[0])}, SYN-ACK no ${frameOr(handshake[1])}, ACK no ${frameOr(handshake[2])})` : ''}, e cada byte é numerado e confirmado. O UDP não tem nenhum dos dois.`,
  cOther: 'Os quadros que não são TCP são a rede cuidando de si mesma, não o chat.',

  // D
  dTitle: 'D. Portas: porta de destino e porta de origem do cliente',
  dQuestion: 'Qual a porta de destino do cliente? E qual é a porta de origem do cliente?',
  dAnswer: (port, clients) =>
    `Porta de destino ${b(port)} (a do servidor). Portas de origem: ${list(clients)}.`,
  dClient: (name, ports) => `${name} ${ports.join(', ')}`,
  dHead: ['cliente', 'IP', 'porta de origem', 'porta de destino', 'fluxo TCP', 'primeiro quadro (SYN)'],
  dUdpStream: 'UDP: sem fluxo',
  dHowUdp:
    'No UDP as mesmas duas portas ficam no cabeçalho UDP, nos mesmos bytes 34–35 e 36–37: o cliente envia todos os datagramas de uma porta de origem, escolhida pelo sistema operacional quando ele abre o socket, e o servidor responde para ela.',
  dHttp: 'página de status HTTP (§7)',
  dHow: 'As portas ficam no cabeçalho TCP: a Porta de Origem nos bytes 34–35 do quadro, a Porta de Destino nos bytes 36–37. O servidor escuta numa porta fixa, que todo cliente precisa conhecer de antemão; o sistema operacional do cliente escolhe uma porta efêmera livre (no Linux, entre 32768 e 60999) para cada nova conexão. Um cliente que se conecta duas vezes recebe duas portas de origem: os quatro números (IP e porta do cliente, IP e porta do servidor) distinguem as conexões.',

  // E
  eTitle: 'E. A carga útil: corresponde ao protocolo da aplicação?',
  eQuestion:
    'Identifique a carga útil dos pacotes entre cliente e servidor. Correspondem ao que é esperado que seja transmitido conforme o funcionamento da sua aplicação desenvolvida?',
  eAnswerOk: (messages, segments) =>
    `${b('Sim.')} Todas as ${n(messages)} mensagens do chat, levadas por ${n(segments)} segmentos TCP com carga útil, seguem o protocolo de docs/PROTOCOL.md.`,
  eAnswerProblems: (messages, segments, problems) =>
    `${b(`Não inteiramente: ${n(problems)} ${problems === 1 ? 'problema' : 'problemas'}.`)} Das ${n(messages)} mensagens do chat levadas por ${n(segments)} segmentos TCP com carga útil, as listadas abaixo fogem de docs/PROTOCOL.md.`,
  eHow: 'Como foi verificado: os bytes de cada conexão foram recolocados em ordem, por sentido (remontagem TCP), e cortados em quadros do chat exatamente como o servidor faz: uma linha termina no LF, um quadro DATA depois do número de bytes que seu cabeçalho anuncia. Depois cada mensagem foi conferida: clientes enviam só requisições e dados; o servidor só respostas, eventos e dados; todo verbo existe e seus argumentos são válidos; todo código de status existe e tem sua própria frase; respostas de erro trazem um código e uma mensagem; toda resposta repete a etiqueta (tag) de uma requisição enviada antes; quadros de dados pertencem a uma transferência aberta pelo servidor, em ordem e dentro do tamanho do arquivo.',
  eKinds: 'O que foi enviado:',
  eKindRequests: (count, verbs) => `${n(count)} requisições (${verbs})`,
  eKindReplies: (count, codes) => `${n(count)} respostas (status ${codes})`,
  eKindEvents: (count, events) => `${n(count)} eventos (${events})`,
  eKindData: (count, bytes) => `${n(count)} quadros de dados (${n(bytes)} bytes de arquivos)`,
  eKindHttp: (count) => `${n(count)} mensagens HTTP (a página de status na mesma porta, §7)`,
  eKindMalformed: (count) => `${n(count)} linhas que não são quadros do protocolo`,
  eSplit: (message, frames) =>
    `Uma mensagem não é um segmento: o TCP transporta um fluxo de bytes. A mensagem ${c(message)} precisou de vários segmentos (${framesText(frames)}).`,
  eJoined: (frame, count) =>
    `E um segmento pode levar várias mensagens: o ${b(`quadro ${frame}`)} leva ${n(count)}.`,
  eUnfinished: (message, frame) =>
    `A captura termina no meio de uma mensagem: ${c(message)} (${b(`quadro ${frame}`)}) é só o começo dela, uma linha sem o seu LF ou menos bytes do que o seu comprimento diz, e aparece até onde vai.`,
  eProblemsTitle: 'Problemas encontrados',
  eProblemsHead: ['quadro', 'fluxo', 'enviado por', 'problema', 'resposta do servidor'],
  eServerAnswer: (frame, status, code) =>
    `quadro ${frame}: ${c(`${status}${code === null ? '' : ` ${code}`}`)}`,
  eProblemsNote:
    'Um problema enviado por um cliente é erro do cliente, não do servidor: a coluna "resposta do servidor" mostra como o servidor o recusou, como exige docs/PROTOCOL.md.',
  eSegmentsTitle: (shown, total) =>
    shown === total
      ? `Segmentos com carga útil (${n(total)})`
      : `Segmentos com carga útil: os primeiros ${n(shown)} de ${n(total)} (todos estão em answers.json)`,
  eSegmentsHead: ['quadro', 'tempo (s)', 'de → para', 'portas', 'bytes (tcp.len)', 'carga útil'],
  eRetransmission: '(retransmissão)',
  eContinues: '(continua)',
  problem: {
    BAD_FRAME: () => 'uma linha que não é um quadro do protocolo',
    NOT_IN_PROTOCOL: (d) =>
      `${c(String(d.text))} não casa com nenhum padrão do seu lado em ${c(String(d.file))}`,
    BAD_ENCODING: () => 'uma linha que não é UTF-8 válido',
    FRAME_TOO_LARGE: () => 'um quadro acima do seu limite de tamanho',
    WRONG_DIRECTION: (d) =>
      `${d.kind === 'request' ? 'uma requisição' : d.kind === 'reply' ? 'uma resposta' : 'um evento'} vinda do ${d.side === 'client' ? 'cliente' : 'servidor'}, um tipo de quadro que esse lado nunca envia`,
    UNKNOWN_STATUS: (d) => `o status ${String(d.status)} não está na lista do protocolo`,
    REASON_MISMATCH: (d) =>
      `o status ${String(d.status)} deve dizer "${String(d.expected)}", não "${String(d.actual)}"`,
    UNKNOWN_VERB: (d) => `${String(d.verb)} não é uma requisição do protocolo`,
    BAD_ARGUMENTS: (d) =>
      `argumentos inválidos para ${String(d.verb)} (${String(d.error)}): ${String(d.reason)}`,
    UNMATCHED_REPLY: (d) =>
      `uma resposta com etiqueta ${String(d.tag)} que não responde a nenhuma requisição anterior`,
    ERROR_WITHOUT_CODE: (d) => `resposta de erro ${String(d.status)} sem o corpo {"code","message"}`,
    UNKNOWN_EVENT: (d) => `* ${String(d.event)} não é um evento do protocolo`,
    UNKNOWN_TRANSFER: (d) => `dados da transferência ${String(d.transfer)}, que nenhuma resposta abriu`,
    DATA_OUT_OF_ORDER: (d) =>
      `dados na posição ${String(d.offset)}; esperava-se a posição ${String(d.expected)}`,
    DATA_BEYOND_SIZE: (d) => `dados até o byte ${String(d.end)} de um arquivo de ${String(d.size)} bytes`,
    DIGEST_BEFORE_END: (d) =>
      `DIGEST após ${String(d.sent)} dos ${String(d.size)} bytes da transferência ${String(d.transfer)}; ele vem depois do último byte`,
    CAPTURE_GAP: (d) =>
      `os bytes a partir da posição ${String(d.offset)} do fluxo nunca foram capturados (a decodificação parou)`,
  },

  // F
  fTitle: 'F. Dados brutos: o cabeçalho de cada camada e o encapsulamento',
  fQuestion:
    'Ao inspecionar os dados brutos na janela de conteúdo do pacote, identifique os cabeçalhos de todas as camadas e faça uma analogia deste material com os conceitos teóricos que foram estudados em sala de aula sobre encapsulamento.',
  fAnswer: (frame, message, length, layers) =>
    `${b(`Quadro ${frame}`)} (${c(message)}, ${n(length)} bytes): ${layers}.`,
  fLayerPart: (name, range) => `${name} nos ${range}`,
  fMissing: 'Nenhuma mensagem do chat foi capturada, então não há quadro para desmontar.',
  fDumpCaption: (frame) =>
    `Os bytes do quadro ${frame} como o painel de bytes do Wireshark os mostra (posição em hexadecimal, 16 bytes por linha, ASCII à direita), cada camada na sua cor.`,
  fDumpLegendText: (letters) => `Sob cada linha, a camada de cada byte: ${letters}.`,
  fNestingCaption:
    'Encapsulamento: cada camada embrulha a unidade da camada de cima no seu próprio cabeçalho.',
  fBox: (name, size) =>
    `${name === 'chatlab' ? 'mensagem do chat' : name === 'Internet Relay Chat' ? 'mensagem IRC' : name === 'Data' ? 'dados da aplicação' : name === 'TCP' ? 'segmento TCP' : name === 'UDP' ? 'datagrama UDP' : name === 'IPv4' ? 'pacote IPv4' : `quadro ${name}`}: ${n(size)} bytes`,
  fHeader: (name, length, range) => `cabeçalho ${name}: ${length} bytes (${range})`,
  fBar: 'O quadro, byte a byte, em escala:',
  fLayersHead: ['camada', 'bytes', 'tamanho', 'o que o cabeçalho diz'],
  fLayerFacts: {
    eth: (f) => `de ${String(f.source)} para ${String(f.destination)}; Tipo ${String(f.type)} = segue IPv4`,
    ip: (f) =>
      `de ${String(f.source)} para ${String(f.destination)}; Comprimento Total ${String(f.totalLength)}; TTL ${String(f.ttl)}; Protocolo ${String(f.protocol)} = segue ${transportName(f.protocol)}`,
    tcp: (f) =>
      `porta ${String(f.sourcePort)} para ${String(f.destinationPort)}; Seq ${String(f.relativeSequenceNumber ?? f.sequenceNumber)} (relativo); flags ${String(f.flags)}; janela ${String(f.window)}${f.options === '' ? '' : `; opções ${String(f.options)}`}`,
    udp: (f) =>
      `porta ${String(f.sourcePort)} para ${String(f.destinationPort)}; Comprimento ${String(f.length)} (cabeçalho e dados); sem número de sequência, sem confirmação`,
    chatlab: (f) => `sem cabeçalho: o próprio quadro do chat, ${String(f.line)}`,
    irc: (f) => `sem cabeçalho: uma linha IRC (no Wireshark: irc.request ou irc.response), ${String(f.line)}`,
    data: (f) => `sem cabeçalho: os bytes da aplicação, que o Wireshark mostra como Data, ${String(f.line)}`,
  },
  fStory: (app, tcp, ip, eth, transport) => [
    `A aplicação escreveu ${n(app)} bytes, uma mensagem do protocolo do chat, no seu socket ${transport}.`,
    transport === 'UDP'
      ? `O UDP colocou seu cabeçalho de 8 bytes na frente deles: um datagrama de ${n(tcp)} bytes, com as portas que dizem qual programa recebe os dados, o tamanho e um checksum; sem número de sequência, então nada recoloca datagramas em ordem nem reenvia um perdido.`
      : `O TCP colocou seu cabeçalho na frente deles: um segmento de ${n(tcp)} bytes, com as portas que dizem qual programa recebe os dados e o número de sequência que recoloca os bytes em ordem.`,
    `O IP colocou seu cabeçalho na frente do ${transport === 'UDP' ? 'datagrama' : 'segmento'}: um pacote de ${n(ip)} bytes, com os endereços que o levam através das redes até o host certo.`,
    `A Ethernet colocou seu cabeçalho na frente do pacote: um quadro de ${n(eth)} bytes, com os endereços MAC que o levam através desta rede até a próxima interface.`,
  ],
  fAnalogy: (transport) =>
    `Isso é encapsulamento: cada camada trata o que recebeu da camada de cima como dados opacos e acrescenta só o seu próprio cabeçalho, como uma carta posta num envelope, o envelope num malote, o malote num caminhão. O receptor desfaz tudo na ordem inversa: cada camada lê e retira o seu cabeçalho e entrega o resto para cima, e um campo de cada cabeçalho diz quem vem a seguir (EtherType 0x0800 quer dizer IPv4, Protocolo ${transport === 'UDP' ? '17 quer dizer UDP' : '6 quer dizer TCP'}, porta de destino diz qual programa escuta ali). Acima do ${transport} não há um cabeçalho da aplicação no mesmo sentido das camadas de baixo: o protocolo do chat é a própria carga útil.`,
  fFcs: 'Falta o final do quadro Ethernet, e é de propósito: a placa de rede confere e retira os 4 bytes do FCS (Frame Check Sequence) antes de a captura ver o quadro, então nenhuma captura o mostra.',
  fPadding: (offset, length) =>
    `Os bytes ${offset}–${offset + length - 1} são preenchimento (padding) Ethernet: um quadro deve ter pelo menos 60 bytes, então quadros curtos são completados com zeros que não pertencem a nenhuma camada de cima.`,

  // Sequência, hosts, tshark
  seqTitle: 'Sequência de mensagens',
  seqIntro:
    'Cada quadro do chat na captura, em ordem de cima para baixo: requisições vão de um cliente ao servidor, respostas e eventos voltam (uma seta tracejada é um evento: uma mensagem que o servidor envia por iniciativa própria, como a linha de chat de outro usuário). Cada seta leva o número do quadro que a completou.',
  seqIntroForeign:
    'Cada mensagem da captura, cortada como diz a seção E, em ordem de cima para baixo: o que os clientes enviaram ao servidor e o que ele lhes enviou. Cada seta leva o número do quadro que a completou.',
  seqLimited: (shown, total) => `Estão desenhadas as primeiras ${n(shown)} de ${n(total)} mensagens.`,
  seqData: (count, bytes, transfer) => `DATA ×${n(count)}: ${n(bytes)} bytes da transferência ${transfer}`,
  seqCaption: 'Clientes e servidor ao longo do tempo (tempo em segundos desde o quadro 1).',
  hostsTitle: 'Tráfego por host',
  hostsIntro: (merged, shared) =>
    `A captura de cada host tem só os quadros que passaram pela sua própria interface: o servidor vê todos os quadros do chat, um cliente só as suas conexões e os broadcasts. A captura combinada tem ${n(merged)} quadros: um quadro capturado por vários hosts (o remetente e o destinatário, ou todos, num broadcast) conta uma só vez nela, então ${n(shared)} cópias foram unidas.`,
  hostsHead: [
    'host',
    'papel',
    'IP',
    'MAC',
    'quadros',
    'bytes',
    'enviados',
    'recebidos',
    'TCP',
    'UDP',
    'ARP',
    'ICMPv6',
    'outros',
    'mensagens do chat',
  ],
  tsharkTitle: 'Confira você mesmo com o tshark',
  tsharkIntro:
    'Execute estes comandos em qualquer pasta (todo caminho é absoluto), com as ferramentas de linha de comando do Wireshark instaladas (Debian/Ubuntu: sudo apt-get install tshark). -X lua_script carrega o dissector do projeto para que o tshark entenda o protocolo do chat; o Wireshark mostra os mesmos números de quadro ao abrir o arquivo combinado (wireshark -X lua_script:<o chatlab.lua dos comandos> <arquivo>).',
  tsharkIntroForeign:
    'Execute estes comandos em qualquer pasta, com as ferramentas de linha de comando do Wireshark instaladas (Debian/Ubuntu: sudo apt-get install tshark). Eles usam os dissectores do próprio Wireshark (o de IRC para IRC; para um protocolo que o Wireshark não conhece, a carga útil TCP, que ele mostra como Data), então os mesmos quadros aparecem do mesmo jeito quando você abre o arquivo mesclado no Wireshark.',
  tsharkHead: ['questão', 'o que mostra', 'comando'],
  commandPurpose: {
    greeting: 'a saudação e quem a enviou: aplicação e versão',
    addresses: 'cada endereço IP com o endereço MAC que o enviou',
    addressFrame: 'os endereços do servidor num quadro',
    hierarchy: 'quadros por protocolo (hierarquia de protocolos)',
    handshake: 'a abertura das conexões: SYN e SYN-ACK',
    conversations: 'cada conexão TCP com suas portas',
    sourcePorts: 'a porta de origem de cada cliente para o servidor',
    segments: 'os segmentos com carga útil: tamanhos e o chat decodificado',
    messages: 'todas as mensagens do chat',
    expert:
      'o que o dissector do chat aponta (linhas que não são quadros, sentido errado, frase de status errada; ele não confere argumentos)',
    layers: 'todas as camadas do quadro da questão F, depois seus bytes',
    positions: 'a posição e o tamanho em bytes de cada camada (pos, size)',
    follow: 'uma conexão remontada, os dois sentidos, como o Follow TCP Stream do Wireshark a mostra',
    hostFiles: 'a captura de cada host: número de quadros e tamanho do arquivo',
  } satisfies Record<CommandKey, string>,
};

function frameOr(frame: number | null | undefined): string {
  return frame === null || frame === undefined ? '(não capturado)' : `quadro ${frame}`;
}

function framesText(frames: readonly number[]): string {
  return frames.length > 6
    ? `quadros ${frames.slice(0, 3).join(', ')} … ${frames[frames.length - 1] ?? ''}`
    : `quadros ${frames.join(', ')}`;
}
