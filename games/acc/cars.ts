/**
 * ACC `carModel` ids as of ACC 1.10 (the last list), from acc-wiki "Server Configuration – ID
 * Lists". The class comes from here, never from the file's `carGroup`, which servers and
 * edited files get wrong (docs/racing-formats.md B7, B8).
 */
import type { CarInfo } from "@/games/racing/types.ts";

const GT3 = "GT3";
const GT4 = "GT4";
const GT2 = "GT2";
/** GTC/CUP, GTC/ST and GTC/CHL one-make cars share one class. */
const GTC = "GTC";
const TCX = "TCX";

/** carModel id → [display name, class]. Ids 37–49, 54, 62–79 and 81 do not exist. */
const ACC_CARS: ReadonlyMap<number, readonly [string, string]> = new Map([
  [0, ["Porsche 991 GT3 R (2018)", GT3]],
  [1, ["Mercedes-AMG GT3 (2015)", GT3]],
  [2, ["Ferrari 488 GT3 (2018)", GT3]],
  [3, ["Audi R8 LMS (2015)", GT3]],
  [4, ["Lamborghini Huracán GT3 (2015)", GT3]],
  [5, ["McLaren 650S GT3 (2015)", GT3]],
  [6, ["Nissan GT-R Nismo GT3 (2018)", GT3]],
  [7, ["BMW M6 GT3 (2017)", GT3]],
  [8, ["Bentley Continental GT3 (2018)", GT3]],
  [9, ["Porsche 991 II GT3 Cup (2017)", GTC]],
  [10, ["Nissan GT-R Nismo GT3 (2017)", GT3]],
  [11, ["Bentley Continental GT3 (2016)", GT3]],
  [12, ["Aston Martin V12 Vantage GT3 (2013)", GT3]],
  [13, ["Lamborghini Gallardo R-EX (2017)", GT3]],
  [14, ["Jaguar G3 (Emil Frey, 2012)", GT3]],
  [15, ["Lexus RC F GT3 (2016)", GT3]],
  [16, ["Lamborghini Huracán GT3 Evo (2019)", GT3]],
  [17, ["Honda NSX GT3 (2017)", GT3]],
  [18, ["Lamborghini Huracán Super Trofeo (2015)", GTC]],
  [19, ["Audi R8 LMS Evo (2019)", GT3]],
  [20, ["Aston Martin V8 Vantage GT3 (2019)", GT3]],
  [21, ["Honda NSX GT3 Evo (2019)", GT3]],
  [22, ["McLaren 720S GT3 (2019)", GT3]],
  [23, ["Porsche 991 II GT3 R (2019)", GT3]],
  [24, ["Ferrari 488 GT3 Evo (2020)", GT3]],
  [25, ["Mercedes-AMG GT3 (2020)", GT3]],
  [26, ["Ferrari 488 Challenge Evo", GTC]],
  [27, ["BMW M2 CS Racing", TCX]],
  [28, ["Porsche 911 GT3 Cup (992)", GTC]],
  [29, ["Lamborghini Huracán Super Trofeo EVO2", GTC]],
  [30, ["BMW M4 GT3 (2022)", GT3]],
  [31, ["Audi R8 LMS GT3 evo II (2022)", GT3]],
  [32, ["Ferrari 296 GT3 (2023)", GT3]],
  [33, ["Lamborghini Huracán GT3 EVO2 (2023)", GT3]],
  [34, ["Porsche 992 GT3 R (2023)", GT3]],
  [35, ["McLaren 720S GT3 EVO (2023)", GT3]],
  [36, ["Ford Mustang GT3 (2024)", GT3]],
  [50, ["Alpine A110 GT4", GT4]],
  [51, ["Aston Martin V8 Vantage GT4", GT4]],
  [52, ["Audi R8 LMS GT4", GT4]],
  [53, ["BMW M4 GT4", GT4]],
  [55, ["Chevrolet Camaro GT4.R", GT4]],
  [56, ["Ginetta G55 GT4", GT4]],
  [57, ["KTM X-Bow GT4", GT4]],
  [58, ["Maserati MC GT4", GT4]],
  [59, ["McLaren 570S GT4", GT4]],
  [60, ["Mercedes-AMG GT4", GT4]],
  [61, ["Porsche 718 Cayman GT4 Clubsport", GT4]],
  [80, ["Audi R8 LMS GT2", GT2]],
  [82, ["KTM X-Bow GT2", GT2]],
  [83, ["Maserati MC20 GT2", GT2]],
  [84, ["Mercedes-AMG GT2", GT2]],
  [85, ["Porsche 911 GT2 RS CS Evo", GT2]],
  [86, ["Porsche 935", GT2]],
]);

/** The car for an ACC `carModel` id; unknown ids become `Unknown (id)` in class "Unknown". */
export function accCar(carModel: number): CarInfo {
  const known = ACC_CARS.get(carModel);
  return known
    ? { model: String(carModel), name: known[0], class: known[1] }
    : { model: String(carModel), name: `Unknown (${carModel})`, class: "Unknown" };
}
