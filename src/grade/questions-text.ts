import type { Question } from './answer-sheet.js';
import type { GradeLang } from './question-grade.js';

/** The assignment's questions (Quadro 1, word for word from the assignment; ../shared/LAB.md). */
const PT: Record<Question, string> = {
  A: 'Identificação da versão ou tipo da aplicação no servidor que está executando.',
  B: 'Qual é o endereço IP dos clientes? Qual o endereço IP do servidor?',
  C: 'Qual o protocolo de transporte usado pelos clientes e pelo servidor? TCP ou UDP?',
  D: 'Qual a porta de destino do cliente? E qual é a porta de origem do cliente?',
  E: 'Identifique a carga útil dos pacotes entre cliente e servidor. Correspondem ao que é esperado que seja transmitido conforme o funcionamento da sua aplicação desenvolvida?',
  F: 'Ao inspecionar os dados brutos na janela de conteúdo do pacote, identifique os cabeçalhos de todas as camadas e faça uma analogia deste material com os conceitos teóricos que foram estudados em sala de aula sobre encapsulamento.',
};

/** The English wording of the same questions (LAB.md's "In English"). */
const EN: Record<Question, string> = {
  A: 'Application name/version as seen in the payload.',
  B: 'Client and server IP addresses.',
  C: 'Transport protocol.',
  D: 'Client destination port and client source (ephemeral) ports.',
  E: 'Payload of the client/server segments and whether it conforms to the application protocol.',
  F: 'Raw bytes of one frame with the header of every layer (Ethernet II, IPv4, TCP, application) marked, and how they nest (encapsulation).',
};

export function questionText(question: Question, lang: GradeLang): string {
  return (lang === 'pt-BR' ? PT : EN)[question];
}
