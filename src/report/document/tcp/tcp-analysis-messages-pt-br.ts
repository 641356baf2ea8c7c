import { b, c } from '../document.js';
import type { TcpAnalysisMessages } from './tcp-analysis-messages.js';

/** As frases da seção de análise do TCP em português do Brasil. */
export const tcpAnalysisPtBR: TcpAnalysisMessages = {
  title: 'Análise do TCP: o que o TCP fez com a rede',
  intro: (streams) =>
    `${streams === 1 ? 'O fluxo TCP' : `Cada um dos ${streams} fluxos TCP`} foi lido segmento a segmento como faz o Expert Info do Wireshark (os campos ${c('tcp.analysis')}): um segmento que repete bytes já enviados é uma retransmissão, um ACK que repete o anterior é um ACK duplicado, e assim por diante. O TCP promete à aplicação todos os bytes, uma vez e em ordem; esta seção mostra os quadros em que ele teve de trabalhar para cumprir isso.`,
  none: (streams) =>
    `Nenhuma retransmissão, segmento perdido, ACK duplicado, segmento fora de ordem ou janela zero ${streams === 1 ? 'no fluxo TCP' : `nos ${streams} fluxos TCP`}: a rede não perdeu nem reordenou nada, e o buffer de nenhum receptor encheu.`,
  noTcp: 'A captura não tem nenhum fluxo TCP.',
  explain: {
    retransmission:
      'bytes enviados pela segunda vez: o emissor não recebeu o ACK deles a tempo (o temporizador de retransmissão expirou) e os deu por perdidos',
    fast_retransmission:
      'uma retransmissão rápida: o emissor reenviou os bytes que faltavam logo após os ACKs duplicados, sem esperar o temporizador (RFC 5681 §3.2)',
    spurious_retransmission:
      'uma retransmissão espúria: o receptor já tinha confirmado esses bytes, então esta cópia não era necessária',
    out_of_order:
      'fora de ordem: chegou depois de um segmento com números de sequência maiores, ou seja, a rede os entregou em ordem diferente da de envio',
    lost_segment:
      'o número de sequência pula bytes que a captura nunca viu: o segmento anterior se perdeu no caminho (ou foi enviado antes de a captura começar)',
    ack_lost_segment:
      'confirma bytes que a captura nunca viu: um segmento chegou ao receptor mas não à captura',
    duplicate_ack:
      'um ACK duplicado: repete o número de confirmação anterior porque chegou um segmento depois de uma lacuna; o receptor continua pedindo o primeiro byte que lhe falta',
    zero_window:
      'uma janela zero: o buffer do receptor está cheio (a aplicação lê devagar demais), então o emissor tem de parar de enviar',
    zero_window_probe:
      'uma sonda de janela zero: um byte enviado na janela fechada para perguntar se ela já abriu',
    window_full:
      'preenche exatamente a janela do receptor: o emissor não pode enviar mais até um ACK abri-la',
  },
  item: (what, frames, count, stream, from, to) =>
    `${b(`fluxo ${stream}`)} ${from} → ${to}: ${frames}${count > 1 ? ` (${count} ao todo)` : ''}: ${what}.`,
  head: [
    'fluxo',
    'cliente → servidor',
    'bytes →',
    'bytes ←',
    'retransmitidos',
    'perdidos antes da captura',
    'ACKs duplicados',
    'fora de ordem',
    'janela zero',
    'RTT do ACK mín / média / máx (ms)',
  ],
  graphIntro:
    'O gráfico tempo-sequência (Stevens) de um fluxo põe o tempo na horizontal e o número de sequência na vertical: cada segmento é uma barra vertical do primeiro ao último byte, no instante em que foi capturado. Num enlace perfeito as barras sobem uma escada regular; uma retransmissão é uma barra vermelha desenhada de novo numa altura já alcançada, e a linha verde (o número de ACK do receptor) fica parada enquanto o receptor espera os bytes que faltam. O Wireshark desenha o mesmo gráfico em Statistics → TCP Stream Graphs → Time Sequence (Stevens).',
  graphCaption: (stream, from, to, segments, truncated) =>
    `Fluxo ${stream}, ${from} → ${to}: ${segments} segmentos de dados${truncated ? ' (só os primeiros: o gráfico tem um limite)' : ''}.`,
  graphMarkdown: (stream, marks) => `Fluxo ${stream}: o gráfico está no report.html. ${marks}`,
  graphMarks: (retransmissions, outOfOrder) =>
    `${retransmissions} segmentos retransmitidos e ${outOfOrder} fora de ordem marcados.`,
  labels: {
    time: 'tempo (s após o quadro 1)',
    sequence: 'número de sequência relativo',
    data: 'segmento',
    retransmission: 'retransmissão',
    outOfOrder: 'fora de ordem',
    ack: 'ACK do receptor',
  },
  udpTitle: 'UDP: o que o receptor nunca recebeu',
  udpLost: (lost, checked, frames) =>
    `${b(String(lost))} dos ${checked} datagramas UDP enviados de um host capturado a outro ${lost === 1 ? 'está' : 'estão'} na captura do emissor mas não na do receptor: ${frames}. Nada no fio volta a mencioná-los: o UDP não tem confirmação nem retransmissão, então um datagrama perdido simplesmente some, e só a aplicação poderia perceber.`,
  udpAllArrived: (checked) =>
    `Todos os ${checked} datagramas UDP enviados de um host capturado a outro também estão na captura do receptor: nenhum se perdeu.`,
  udpLostHead: ['quadro', 'tempo (s)', 'de', 'para', 'bytes'],
  commandsTitle: 'A mesma análise com o tshark',
  commandFlags: 'cada quadro que o Wireshark marca, com seu fluxo e a mensagem do Expert Info',
  commandRtt: 'o RTT de cada ACK e o quadro que ele confirma',
  commandUdp: 'os datagramas UDP da captura de um host, para comparar com a do outro',
};
