import { TrainDemo } from '../../components/TrainDemo';

export default function Page() {
  return <TrainDemo />;
}
